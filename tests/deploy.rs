//! Deploy recipes (`openings init --host`, `openings deploy-recipe`): every
//! recipe parses, the GitHub and GitLab files validate against the schemas
//! check-jsonschema ships, and each recipe's build steps, taken out of the
//! file and run in a scratch clone with the real binary, check and build the
//! site. Nothing here reaches the network: a `cargo` that fails loudly stands
//! in for the real one, so a recipe that would install instead of reusing the
//! binary it finds fails the test.

mod common;
use common::{TestSite, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A site made by `openings init careers --host HOST`, committed to git, and
/// a clone of it: what a CI machine checks out.
struct Checkout {
    dir: TestSite,
}

impl Checkout {
    fn new(host: &str) -> Checkout {
        let dir = TestSite::empty();
        dir.run(&["init", "careers", "--host", host]).success();
        git(&dir.path("careers"), &["init", "-q", "-b", "main"]);
        git(&dir.path("careers"), &["add", "-A"]);
        git(&dir.path("careers"), &["commit", "-q", "-m", "careers"]);
        git(dir.root(), &["clone", "-q", "careers", "clone"]);
        Checkout { dir }
    }

    fn clone(&self) -> PathBuf {
        self.dir.path("clone")
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.clone().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Makes the clone's example posting an error (an unknown key).
    fn break_posting(&self) {
        let path = self.clone().join("content/jobs/example-role.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("workplace =", "workplce =", 1)).unwrap();
    }

    /// Runs shell `script` in the clone, as a CI runner would: bash, exit on
    /// the first error, the real binary on PATH after the stand-in `cargo`.
    fn sh(&self, script: &str, env: &[(&str, &str)]) -> Output {
        let fake = self.dir.path("fake-bin");
        std::fs::create_dir_all(&fake).unwrap();
        let cargo = fake.join("cargo");
        std::fs::write(
            &cargo,
            "#!/bin/sh\necho \"cargo was called: $*\" >&2\nexit 97\n",
        )
        .unwrap();
        chmod_x(&cargo);
        let bin = Path::new(env!("CARGO_BIN_EXE_openings")).parent().unwrap();
        let path = format!(
            "{}:{}:/usr/local/bin:/usr/bin:/bin",
            fake.display(),
            bin.display()
        );
        let mut cmd = Command::new("bash");
        cmd.args(["-e", "-o", "pipefail", "-c", script])
            .current_dir(self.clone())
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.dir.path("home"))
            .env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }
}

fn chmod_x(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[track_caller]
fn succeeded(out: &Output) -> String {
    ended(out, true, "the recipe's steps failed")
}

#[track_caller]
fn failed(out: &Output) -> String {
    ended(out, false, "the recipe's steps should have failed")
}

/// Both outputs of `out` as text, after asserting it ended as `success` says.
#[track_caller]
fn ended(out: &Output, success: bool, otherwise: &str) -> String {
    let text = format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.success(), success, "{otherwise}\n{text}");
    text
}

/// A tool of the Python virtualenv that scripts/test.sh installs.
fn tool(name: &str) -> PathBuf {
    let path = repo().join("target/test-tools/python/bin").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `bash scripts/test.sh`, which installs it (this test is never skipped)",
        path.display()
    );
    path
}

/// A YAML file as JSON, read by ruamel.yaml (the parser check-jsonschema uses).
fn yaml(path: &Path) -> Value {
    let out = Command::new(tool("python"))
        .args([
            "-c",
            "import json, sys\nfrom ruamel.yaml import YAML\nprint(json.dumps(YAML(typ='safe').load(open(sys.argv[1]))))",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is no YAML: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn schema_check(schema: &str, file: &Path) -> Output {
    Command::new(tool("check-jsonschema"))
        .args(["--builtin-schema", schema])
        .arg(file)
        .output()
        .unwrap()
}

// ---- the command ---------------------------------------------------------------

#[test]
fn deploy_recipe_writes_each_hosts_files_and_never_overwrites_without_force() {
    let site = TestSite::fixture("valid/basic");
    site.run(&["deploy-recipe", "netlify"]).success();
    for f in [
        "netlify.toml",
        "scripts/netlify-build.sh",
        "netlify/functions/daily-rebuild.mjs",
    ] {
        assert!(site.exists(f), "{f}");
    }
    site.write("netlify.toml", "# mine\n");
    site.run(&["deploy-recipe", "netlify"])
        .failure(1)
        .stderr_has("netlify.toml, scripts/netlify-build.sh, netlify/functions/daily-rebuild.mjs already exists")
        .stderr_has("--force");
    assert_eq!(site.read("netlify.toml"), "# mine\n");
    site.run(&["deploy-recipe", "netlify", "--force"]).success();
    assert!(
        site.read("netlify.toml")
            .contains("openings deploy-recipe netlify")
    );
    for (host, file) in [
        ("github", ".github/workflows/careers.yml"),
        ("gitlab", ".gitlab-ci.yml"),
        ("cloudflare", "scripts/cloudflare-build.sh"),
        ("rsync", "scripts/deploy.sh"),
    ] {
        site.run(&["deploy-recipe", host]).success();
        assert!(
            site.read(file).contains(&format!("for openings {VERSION}")),
            "{file}"
        );
    }
}

#[test]
fn a_wrong_host_is_a_usage_error_that_suggests_the_closest_and_lists_all() {
    let site = TestSite::fixture("valid/basic");
    site.run(&["deploy-recipe", "githib"])
        .failure(2)
        .stderr_has("a similar value exists: 'github'")
        .stderr_has("[possible values: github, gitlab, netlify, cloudflare, rsync]");
    TestSite::empty()
        .run(&["init", "x", "--host", "netlfy"])
        .failure(2)
        .stderr_has("'netlify'");
}

#[test]
fn deploy_recipe_needs_a_site_folder() {
    let dir = TestSite::empty();
    dir.run(&["deploy-recipe", "github"])
        .failure(1)
        .stderr_has("site.toml");
    assert!(!dir.exists(".github"));
}

#[test]
fn help_teaches_the_hosts_and_the_files_they_get() {
    let run = TestSite::empty()
        .run(&["deploy-recipe", "--help"])
        .success();
    for word in [
        "github:",
        "gitlab:",
        "netlify:",
        "cloudflare:",
        "rsync:",
        ".gitlab-ci.yml",
        "once a day",
        "--force",
    ] {
        assert!(
            run.stdout.contains(word),
            "help lacks {word}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_daily_run_follows_the_sites_timezone() {
    let site = TestSite::fixture("valid/basic");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("timezone = \"America/New_York\"\n{toml}"),
    );
    let run = site.run(&["deploy-recipe", "github"]).success();
    assert!(
        run.stderr
            .contains("05:10 UTC, just after midnight in America/New_York"),
        "{}",
        run.stderr
    );
    assert!(
        site.read(".github/workflows/careers.yml")
            .contains("- cron: \"10 5 * * *\"")
    );
}

// ---- GitHub Pages --------------------------------------------------------------

#[test]
fn github_workflow_validates_against_the_schema_and_a_broken_one_does_not() {
    schema_accepts_the_recipe_and_refuses_a_broken_copy(
        "github",
        ".github/workflows/careers.yml",
        "vendor.github-workflows",
        ("runs-on:", "run-on:"),
    );
}

#[test]
fn github_workflow_runs_on_push_daily_and_caches_the_binary() {
    let c = Checkout::new("github");
    let w = yaml(&c.clone().join(".github/workflows/careers.yml"));
    assert!(w["on"]["push"].is_null() && w["on"].get("push").is_some());
    assert!(w["on"].get("pull_request").is_some());
    assert_eq!(w["on"]["schedule"][0]["cron"], "10 0 * * *");
    assert_eq!(w["env"]["OPENINGS_VERSION"], VERSION);
    let steps = w["jobs"]["build"]["steps"].as_array().unwrap();
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .unwrap();
    assert_eq!(cache["with"]["path"], "~/.cargo/bin/openings");
    assert!(
        cache["with"]["key"]
            .as_str()
            .unwrap()
            .contains("env.OPENINGS_VERSION")
    );
    assert!(
        w["jobs"]["deploy"]["if"]
            .as_str()
            .unwrap()
            .contains("default_branch")
    );
}

/// The `run:` steps of the workflow's build job, in order, as one script.
fn github_steps(c: &Checkout) -> String {
    let w = yaml(&c.clone().join(".github/workflows/careers.yml"));
    let steps = w["jobs"]["build"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(runs.len(), 4, "install, check, summary, build");
    runs.join("\n")
}

#[test]
fn github_steps_check_annotate_summarise_and_build_the_site() {
    let c = Checkout::new("github");
    let summary = c.dir.path("summary.md");
    let summary_env = summary.to_string_lossy().into_owned();
    let env = [
        ("OPENINGS_VERSION", VERSION),
        ("GITHUB_STEP_SUMMARY", summary_env.as_str()),
    ];
    let log = succeeded(&c.sh(&github_steps(&c), &env));
    assert!(
        log.contains(&format!("openings {VERSION} from the cache")),
        "{log}"
    );
    assert!(c.read("public/index.html").contains("Example Role"));
    assert!(c.clone().join("public/.nojekyll").is_file());
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("### openings check: 1 open role"),
        "{summary}"
    );
    // A posting with an error: annotations, a failed run, nothing built.
    let c = Checkout::new("github");
    c.break_posting();
    let log = failed(&c.sh(&github_steps(&c), &env));
    assert!(
        log.contains("::error file=content/jobs/example-role.md,line="),
        "{log}"
    );
    assert!(!c.clone().join("public").exists());
}

#[test]
fn github_steps_install_openings_when_the_cache_has_another_version() {
    let c = Checkout::new("github");
    let log = failed(&c.sh(
        &github_steps(&c),
        &[
            ("OPENINGS_VERSION", "9.9.9"),
            ("GITHUB_STEP_SUMMARY", "/dev/null"),
        ],
    ));
    assert!(
        log.contains("cargo was called: install openings --version 9.9.9 --locked"),
        "{log}"
    );
}

// ---- GitLab Pages --------------------------------------------------------------

#[test]
fn gitlab_file_validates_against_the_schema_and_a_broken_one_does_not() {
    schema_accepts_the_recipe_and_refuses_a_broken_copy(
        "gitlab",
        ".gitlab-ci.yml",
        "vendor.gitlab-ci",
        ("when: never", "when: sometimes"),
    );
}

/// `host`'s recipe file `rel` passes check-jsonschema's built-in `schema`, and
/// fails it once `broken.0` is replaced by `broken.1` (so the check can fail).
fn schema_accepts_the_recipe_and_refuses_a_broken_copy(
    host: &str,
    rel: &str,
    schema: &str,
    broken: (&str, &str),
) {
    let c = Checkout::new(host);
    let file = c.clone().join(rel);
    let out = schema_check(schema, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(&file, c.read(rel).replace(broken.0, broken.1)).unwrap();
    assert!(!schema_check(schema, &file).status.success());
}

/// `default.before_script` and the `pages` job's script, as one script.
fn gitlab_steps(c: &Checkout) -> String {
    let ci = yaml(&c.clone().join(".gitlab-ci.yml"));
    let lines = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect()
    };
    let mut script = lines(&ci["default"]["before_script"]);
    script.extend(lines(&ci["pages"]["script"]));
    assert_eq!(ci["pages"]["artifacts"]["paths"][0], "public");
    assert_eq!(ci["default"]["cache"]["paths"][0], ".openings-bin/");
    assert_eq!(
        ci["pages"]["rules"][0]["if"],
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    );
    assert!(ci["workflow"]["rules"].to_string().contains("schedule"));
    script.join("\n")
}

#[test]
fn gitlab_pages_job_checks_and_builds_the_site() {
    let run = |c: &Checkout| {
        let project = c.clone().to_string_lossy().into_owned();
        let env = [
            ("OPENINGS_VERSION", VERSION),
            ("CI_PROJECT_DIR", project.as_str()),
        ];
        c.sh(&gitlab_steps(c), &env)
    };
    let c = Checkout::new("gitlab");
    let log = succeeded(&run(&c));
    assert!(log.contains("from the cache"), "{log}");
    assert!(c.read("public/index.html").contains("Example Role"));
    let c = Checkout::new("gitlab");
    c.break_posting();
    let log = failed(&run(&c));
    assert!(log.contains("unknown key"), "{log}");
    assert!(!c.clone().join("public").exists());
}

// ---- Netlify -------------------------------------------------------------------

#[test]
fn netlify_builds_production_and_previews_at_their_own_address() {
    let c = Checkout::new("netlify");
    let config: toml::Table = toml::from_str(&c.read("netlify.toml")).unwrap();
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    assert_eq!(
        config["build"]["environment"]["OPENINGS_VERSION"].as_str(),
        Some(VERSION)
    );
    let command = config["build"]["command"].as_str().unwrap().to_string();
    let cache = c.dir.path("netlify-cache").to_string_lossy().into_owned();
    succeeded(&c.sh(
        &command,
        &[("CONTEXT", "production"), ("OPENINGS_CACHE", &cache)],
    ));
    assert!(
        c.read("public/index.html")
            .contains(r#"rel="canonical" href="https://careers.example.com/""#)
    );
    let preview = "https://deploy-preview-7--careers.netlify.app";
    succeeded(&c.sh(
        &command,
        &[
            ("CONTEXT", "deploy-preview"),
            ("DEPLOY_PRIME_URL", preview),
            ("OPENINGS_CACHE", &cache),
        ],
    ));
    assert!(
        c.read("public/index.html")
            .contains(&format!(r#"rel="canonical" href="{preview}/""#))
    );
    c.break_posting();
    failed(&c.sh(
        &command,
        &[("CONTEXT", "production"), ("OPENINGS_CACHE", &cache)],
    ));
}

#[test]
fn netlify_daily_function_is_scheduled_javascript() {
    let c = Checkout::new("netlify");
    let file = c.clone().join("netlify/functions/daily-rebuild.mjs");
    let out = Command::new("node")
        .arg("--check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = c.read("netlify/functions/daily-rebuild.mjs");
    assert!(text.contains("schedule: \"10 0 * * *\"") && text.contains("OPENINGS_BUILD_HOOK"));
}

// ---- Cloudflare Pages -----------------------------------------------------------

#[test]
fn cloudflare_script_builds_production_and_previews() {
    let c = Checkout::new("cloudflare");
    let script = "bash scripts/cloudflare-build.sh";
    succeeded(&c.sh(
        script,
        &[
            ("CF_PAGES_BRANCH", "main"),
            ("CF_PAGES_URL", "https://abc.careers.pages.dev"),
        ],
    ));
    assert!(
        c.read("public/index.html")
            .contains(r#"rel="canonical" href="https://careers.example.com/""#)
    );
    let preview = "https://feature-x.careers.pages.dev";
    succeeded(&c.sh(
        script,
        &[("CF_PAGES_BRANCH", "feature-x"), ("CF_PAGES_URL", preview)],
    ));
    assert!(
        c.read("public/index.html")
            .contains(&format!(r#"rel="canonical" href="{preview}/""#))
    );
    c.break_posting();
    failed(&c.sh(script, &[("CF_PAGES_BRANCH", "main")]));
}

#[test]
fn cloudflare_worker_and_its_cron_trigger_parse() {
    let c = Checkout::new("cloudflare");
    let out = Command::new("node")
        .arg("--check")
        .arg(c.clone().join("cloudflare/daily-rebuild.js"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wrangler: toml::Table = toml::from_str(&c.read("cloudflare/wrangler.toml")).unwrap();
    assert_eq!(wrangler["main"].as_str(), Some("daily-rebuild.js"));
    assert_eq!(
        wrangler["triggers"]["crons"][0].as_str(),
        Some("10 0 * * *")
    );
}

// ---- rsync ---------------------------------------------------------------------

#[test]
fn rsync_script_checks_builds_and_copies_the_site() {
    let c = Checkout::new("rsync");
    for script in [
        "scripts/deploy.sh",
        "scripts/netlify-build.sh",
        "scripts/cloudflare-build.sh",
    ] {
        if c.clone().join(script).exists() {
            let out = Command::new("bash")
                .arg("-n")
                .arg(c.clone().join(script))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{script}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let www = c.dir.path("www");
    let target = format!("{}/", www.display());
    succeeded(&c.sh("scripts/deploy.sh", &[("OPENINGS_TARGET", &target)]));
    let index = std::fs::read_to_string(www.join("index.html")).unwrap();
    assert!(index.contains("Example Role"));
    // The next run removes what the site no longer has, and an error copies nothing.
    std::fs::write(www.join("stale.html"), "old").unwrap();
    succeeded(&c.sh("scripts/deploy.sh", &[("OPENINGS_TARGET", &target)]));
    assert!(!www.join("stale.html").exists());
    c.break_posting();
    std::fs::write(www.join("marker"), "x").unwrap();
    failed(&c.sh("scripts/deploy.sh", &[("OPENINGS_TARGET", &target)]));
    assert!(www.join("marker").exists(), "a failed check must not copy");
}
