//! Test harness: copies a fixture site into a temp dir, runs the real `openings`
//! binary in it, and reads what it wrote.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The day every test builds on, so closed/open decisions never depend on the clock.
pub const TODAY: &str = "2026-11-23";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, by relative path.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn failure(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    pub fn empty() -> Self {
        TestSite {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of `tests/fixtures/<name>`; a fixture without a `site.toml` gets the
    /// shared one of its group (`tests/fixtures/invalid/site.toml`, `.../check/site.toml`).
    pub fn fixture(name: &str) -> Self {
        let site = Self::empty();
        let from = repo().join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture {name}");
        copy_dir(&from, site.root());
        if !site.path("site.toml").exists() {
            let shared = from.parent().unwrap().join("site.toml");
            fs::copy(&shared, site.path("site.toml"))
                .unwrap_or_else(|e| panic!("{}: {e}", shared.display()));
        }
        site
    }

    /// A copy of the example site at the repository root.
    pub fn example() -> Self {
        let site = Self::empty();
        fs::copy(repo().join("site.toml"), site.path("site.toml")).unwrap();
        for dir in ["content", "static"] {
            if repo().join(dir).is_dir() {
                copy_dir(&repo().join(dir), &site.path(dir));
            }
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.path(rel)).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Runs `openings ARGS` inside the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_openings"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `openings applications ARGS --data data/`, the store of
    /// [`server::Server::production`].
    pub fn applications(&self, args: &[&str]) -> Run {
        let data = self.path("data");
        let mut all = vec!["applications"];
        all.extend_from_slice(args);
        all.extend(["--data", data.to_str().unwrap()]);
        self.run(&all)
    }

    /// `openings build --today TODAY EXTRA...`
    pub fn build_with(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--today", TODAY];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    #[track_caller]
    pub fn build(&self) -> &Self {
        self.build_with(&[]).success();
        self
    }

    /// A built page by site-relative path (`jobs/x/` -> `public/jobs/x/index.html`).
    pub fn page(&self, rel: &str) -> String {
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("public/{rel}index.html")
        } else {
            format!("public/{rel}")
        };
        self.read(&file)
    }
}
pub mod form;
pub mod rng;
pub mod server;

/// The `valid/basic` fixture with these `[apply]` settings (no rate limit
/// unless they set one).
pub fn site_with_apply(apply: &str) -> TestSite {
    let site = TestSite::fixture("valid/basic");
    let extra = if apply.contains("rate_limit") {
        apply.to_string()
    } else {
        format!("rate_limit = 0\n{apply}")
    };
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace("[apply]\n", &format!("[apply]\n{extra}\n")),
    );
    site
}

/// Runs tests/tools/apply_browser.mjs (Chromium through playwright-core) on
/// the role page at `url`, with the files it needs written into `site`: a
/// good résumé, a PNG named .pdf, one over the fixture's 5 MB limit and one
/// past the hard ceiling (4 x 5 MB + 1 MiB). At most 180 s.
pub fn apply_browser(site: &TestSite, url: &str) -> std::process::Output {
    use std::time::Duration;
    let bad = site.path("not-a-resume.pdf");
    fs::write(&bad, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR not a resume").unwrap();
    let pdf = form::resume_pdf();
    let padded = |name: &str, extra: usize| {
        let path = site.path(name);
        let at = pdf.len() - 6;
        fs::write(
            &path,
            [&pdf[..at], &vec![b' '; extra][..], &pdf[at..]].concat(),
        )
        .unwrap();
        path
    };
    let over = padded("over-limit.pdf", 6 << 20);
    let past = padded("past-ceiling.pdf", 30 << 20);
    let resume = repo().join("tests/fixtures/files/resume.pdf");
    node(
        "tests/tools/apply_browser.mjs",
        &[
            url.as_ref(),
            resume.as_os_str(),
            bad.as_os_str(),
            over.as_os_str(),
            past.as_os_str(),
        ],
        Duration::from_secs(180),
    )
}

/// Runs `node SCRIPT ARGS...` (a script of tests/tools/) from the repository,
/// killed after `limit`; its output.
pub fn node(
    script: &str,
    args: &[&std::ffi::OsStr],
    limit: std::time::Duration,
) -> std::process::Output {
    use std::process::Stdio;
    use std::time::Instant;
    let mut child = Command::new("node")
        .arg(repo().join(script))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (scripts/test.sh installs Node.js, Chromium and playwright-core)");
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    child.wait_with_output().unwrap()
}
