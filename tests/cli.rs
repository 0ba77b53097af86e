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
    site.run(&["new", "Senior Data Engineer", "--department", "Data"])
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
        .stderr_has("--department");
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
