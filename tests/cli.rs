//! The command line as a newcomer meets it: init, new, check, flags and mistakes.

mod common;
use common::{TODAY, TestSite};

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let dir = TestSite::empty();
    dir.run(&["init", "acme-careers"]).success();
    let site = dir.path("acme-careers");
    assert!(site.join("site.toml").is_file());
    assert!(site.join("content/jobs/example-role.md").is_file());
    let run = dir
        .run(&["build", "--root", "acme-careers", "--today", TODAY])
        .success();
    assert!(run.stderr.contains("Built 1 open role,"), "{}", run.stderr);
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(index.contains("Example Role"));
    assert!(index.contains("Careers at Acme Careers"));
    // The built-in theme is embedded: the new site has no theme folder.
    assert!(!site.join("themes").exists());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = TestSite::empty();
    dir.write("taken/file.txt", "x");
    dir.run(&["init", "taken"])
        .failure(1)
        .stderr_has("already exists and is not empty");
    assert_eq!(dir.read("taken/file.txt"), "x");
}

#[test]
fn new_writes_a_dated_draft_posting_that_builds() {
    let site = TestSite::fixture("valid/basic");
    site.run(&[
        "new",
        "Senior Data Engineer",
        "--department",
        "Data",
        "--location",
        "berlin",
        "--today",
        "2026-11-20",
    ])
    .success()
    .stderr_has("content/jobs/senior-data-engineer.md");
    let text = site.read("content/jobs/senior-data-engineer.md");
    assert!(text.contains("title = \"Senior Data Engineer\""));
    assert!(text.contains("department = \"Data\""));
    assert!(text.contains("date = 2026-11-20"));
    assert!(text.contains("draft = true"));
    site.build_with(&["--drafts"]).success();
    assert!(
        site.page("jobs/senior-data-engineer/")
            .contains("Senior Data Engineer")
    );
    // Never overwrites.
    site.run(&[
        "new",
        "Senior Data Engineer",
        "--department",
        "Data",
        "--location",
        "berlin",
    ])
    .failure(1)
    .stderr_has("already exists");
}

#[test]
fn new_can_write_yaml_and_rejects_unknown_locations() {
    let site = TestSite::fixture("valid/basic");
    site.run(&[
        "new",
        "Office Manager",
        "--department",
        "Operations",
        "--location",
        "berlin",
        "--yaml",
    ])
    .success();
    assert!(
        site.read("content/jobs/office-manager.md")
            .starts_with("---\ntitle: \"Office Manager\"\n")
    );
    site.build_with(&["--drafts"]).success();
    site.run(&[
        "new",
        "Chef",
        "--department",
        "Kitchen",
        "--location",
        "berln",
    ])
    .failure(1)
    .stderr_has("unknown location `berln`")
    .stderr_has("did you mean `berlin`?");
    assert!(!site.exists("content/jobs/chef.md"));
}

/// README's and `new --help`'s examples on a site made by `openings init`:
/// the posting written passes `check --drafts` as it stands.
#[test]
fn new_on_an_init_site_takes_its_only_location_and_passes_check() {
    let dir = TestSite::empty();
    dir.run(&["init", "acme"]).success();
    let new = |args: &[&str]| {
        let mut all = vec!["new", "--root", "acme", "--today", TODAY];
        all.extend_from_slice(args);
        dir.run(&all)
    };
    new(&["Senior Data Engineer", "--department", "Data"])
        .success()
        .stderr_has("Location: `hq`, the only one in site.toml.");
    new(&[
        "Store Manager",
        "--department",
        "Retail",
        "--location",
        "hq",
        "--yaml",
    ])
    .success();
    assert!(
        dir.read("acme/content/jobs/senior-data-engineer.md")
            .contains("locations = [\"hq\"]\n")
    );
    dir.run(&["check", "--root", "acme", "--drafts", "--today", TODAY])
        .success()
        .stderr_has("Checked 3 open roles");
}

/// On a pipe nothing is asked: a missing location is an error naming the flag
/// and the keys, and no file is written.
#[test]
fn new_on_a_pipe_never_waits_for_an_answer() {
    let site = TestSite::fixture("valid/basic");
    site.run(&["new", "Chef", "--department", "Kitchen"])
        .failure(2)
        .stderr_has("needs --location KEY")
        .stderr_has("berlin")
        .stderr_has("austin");
    assert!(!site.exists("content/jobs/chef.md"));
}

/// On a terminal (a pty made by util-linux's `script`), `new` asks for the
/// department and the locations it was not given.
#[test]
fn new_on_a_terminal_asks_for_what_is_missing() {
    use std::io::Write;
    let site = TestSite::fixture("valid/basic");
    // The fixture's own draft lacks a location on purpose; only the new one is checked here.
    site.remove("content/jobs/secret-role.md");
    let command = format!(
        "{} new 'Line Cook' --today {TODAY}",
        env!("CARGO_BIN_EXE_openings")
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux's script runs");
    // A wrong answer first: the question comes again.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Kitchen\nparis\n2,berlin\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("Department (for example Engineering): "),
        "{shown}"
    );
    assert!(
        shown.contains("`paris` is not one of the numbers or keys above"),
        "{shown}"
    );
    let text = site.read("content/jobs/line-cook.md");
    assert!(text.contains("department = \"Kitchen\"\n"), "{text}");
    assert!(
        text.contains("locations = [\"austin\", \"berlin\"]\n"),
        "{text}"
    );
    site.run(&["check", "--drafts", "--today", TODAY]).success();
}

#[test]
fn check_validates_without_writing() {
    let site = TestSite::fixture("valid/basic");
    site.run(&["check", "--today", TODAY])
        .success()
        .stderr_has("Checked 4 open roles");
    assert!(!site.exists("public"));
    site.write(
        "content/jobs/bad.md",
        "+++\ntitle = \"X\"\ndepartment = \"Y\"\ndate = 2026-11-02\nworkplace = \"office\"\n+++\n",
    );
    site.run(&["check", "--today", TODAY])
        .failure(1)
        .stderr_has("content/jobs/bad.md:5:13")
        .stderr_has("`office` is not a valid workplace");
    assert!(!site.exists("public"));
}

#[test]
fn missing_site_toml_says_what_to_do() {
    let dir = TestSite::empty();
    dir.run(&["build"])
        .failure(1)
        .stderr_has("no site.toml in the current folder")
        .stderr_has("openings init");
    dir.run(&["build", "--root", "nowhere"])
        .failure(1)
        .stderr_has("no site.toml in nowhere");
}

#[test]
fn bad_usage_exits_with_2_and_a_hint() {
    let site = TestSite::fixture("valid/basic");
    site.run(&["biuld"]).failure(2).stderr_has("build");
    site.run(&["build", "--draft"])
        .failure(2)
        .stderr_has("--drafts");
    site.run(&["build", "--today", "23.11.2026"])
        .failure(2)
        .stderr_has("use YYYY-MM-DD");
    site.run(&["build", "--base-url", "careers"])
        .failure(2)
        .stderr_has("not an absolute URL");
    site.run(&["new", "Chef"])
        .failure(2)
        .stderr_has("needs --department NAME");
    assert!(!site.exists("public"));
}

#[test]
fn quiet_prints_nothing_on_success_and_verbose_prints_timings() {
    let site = TestSite::fixture("valid/basic");
    let quiet = site.build_with(&["--quiet"]).success();
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, "");
    let verbose = site.build_with(&["--verbose"]).success();
    assert!(
        verbose.stderr.contains("load") && verbose.stderr.contains("render"),
        "{}",
        verbose.stderr
    );
    let quiet_failure = site
        .run(&["build", "--quiet", "--root", "nowhere"])
        .failure(1);
    assert!(
        quiet_failure.stderr.contains("no site.toml"),
        "errors are printed even when quiet"
    );
}

#[test]
fn help_teaches_the_commands_and_flags() {
    let site = TestSite::empty();
    let help = site.run(&["--help"]).success();
    for word in ["build", "check", "init", "new"] {
        assert!(help.stdout.contains(word), "{}", help.stdout);
    }
    let build = site.run(&["build", "--help"]).success();
    for flag in [
        "--root",
        "--output",
        "--base-url",
        "--drafts",
        "--today",
        "--quiet",
        "--verbose",
    ] {
        assert!(
            build.stdout.contains(flag),
            "build --help lacks {flag}:\n{}",
            build.stdout
        );
    }
}

#[test]
fn output_and_root_flags_work_together() {
    let dir = TestSite::empty();
    common::copy_dir(
        &common::repo().join("tests/fixtures/valid/basic"),
        &dir.path("site"),
    );
    dir.run(&[
        "build", "--root", "site", "--output", "dist", "--today", TODAY,
    ])
    .success();
    assert!(
        dir.exists("site/dist/index.html"),
        "--output is relative to --root"
    );
    let abs = dir.path("elsewhere");
    dir.run(&[
        "build",
        "--root",
        "site",
        "--output",
        abs.to_str().unwrap(),
        "--today",
        TODAY,
    ])
    .success();
    assert!(dir.exists("elsewhere/jobs/backend-engineer/index.html"));
}

#[test]
fn version_names_the_release_and_the_commit_it_was_built_from() {
    let run = TestSite::empty().run(&["--version"]).success();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(common::repo())
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    assert_eq!(
        run.stdout.trim(),
        format!("openings {} ({})", env!("CARGO_PKG_VERSION"), head.trim())
    );
}
