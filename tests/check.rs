//! `openings check`: each rule fires on a fixture made for it (tests/fixtures/check/
//! <rule>/), with its id, severity, file and line, and stays quiet on the example
//! site; the JSON report's shape; exit codes and `--deny-warnings`.

mod common;
use common::{TODAY, TestSite};
use serde_json::Value;

/// `openings check --today TODAY --format json EXTRA...` on a fixture: the report
/// and the exit code.
fn report(site: &TestSite, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--today", TODAY, "--format", "json"];
    args.extend_from_slice(extra);
    let run = site.run(&args);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("no JSON on stdout ({e}):\n{}\n{}", run.stdout, run.stderr));
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (json, run.code)
}

fn diagnostics(report: &Value) -> Vec<Value> {
    report["diagnostics"].as_array().unwrap().clone()
}

/// Checks fixture `check/<rule>`: every diagnostic is of `rule` (or one of `also`),
/// `rule` fires at each `(path, line)` of `at` with `severity`, and the exit code
/// follows from the severities. Returns the diagnostics of `rule`.
#[track_caller]
fn fires(rule: &str, severity: &str, at: &[(&str, u64)], also: &[&str]) -> Vec<Value> {
    let site = TestSite::fixture(&format!("check/{rule}"));
    let (report, code) = report(&site, &[]);
    let all = diagnostics(&report);
    for d in &all {
        let code = d["code"].as_str().unwrap();
        assert!(
            code == rule || also.contains(&code),
            "{rule}: unexpected {code}: {d}"
        );
    }
    let found: Vec<Value> = all.into_iter().filter(|d| d["code"] == rule).collect();
    let places: Vec<(&str, u64)> = found
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["line"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(places, at, "{rule}: where it fired");
    for d in &found {
        assert_eq!(d["severity"], severity, "{rule}: {d}");
        assert!(
            d["hint"].as_str().is_some_and(|h| !h.is_empty()),
            "{rule}: no hint"
        );
    }
    let errors = report["errors"].as_u64().unwrap();
    assert_eq!(code, if errors > 0 { 1 } else { 0 }, "{rule}: exit code");
    assert!(!site.exists("public"), "check wrote files");
    found
}

const ROLE: &str = "content/jobs/role.md";

// ---- links ---------------------------------------------------------------------

#[test]
fn broken_links_are_errors_at_their_line() {
    let found = fires(
        "broken-link",
        "error",
        &[
            ("content/benefits.md", 5),
            ("content/benefits.md", 5),
            (ROLE, 19),
        ],
        &[],
    );
    let text: Vec<&str> = found
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        text[0].contains("outside the site"),
        "a root link misses the base path"
    );
    assert!(found[0]["hint"].as_str().unwrap().contains("/careers/"));
    assert!(
        found[1]["hint"]
            .as_str()
            .unwrap()
            .contains("not its Markdown file")
    );
    assert!(text[2].contains("../../benefit/"));
    assert_eq!(found[2]["column"], 16);
    assert_eq!(
        found[2]["snippet"]["line_text"],
        "Read about our [benefits](../../benefit/)."
    );
}

#[test]
fn broken_anchors_are_warnings_with_a_suggestion() {
    let found = fires("broken-anchor", "warning", &[(ROLE, 19), (ROLE, 19)], &[]);
    assert!(found[0]["message"].as_str().unwrap().contains("`holiday`"));
    assert!(found[0]["hint"].as_str().unwrap().contains("#holidays"));
    assert!(found[1]["message"].as_str().unwrap().contains("this page"));
    assert!(found[1]["hint"].as_str().unwrap().contains("#apply"));
}

#[test]
fn good_links_anchors_and_absolute_site_urls_pass() {
    let site = TestSite::fixture("check/clean");
    let (report, code) = report(&site, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    site.run(&["check", "--today", TODAY, "--deny-warnings"])
        .success()
        .stderr_has("No problems found: 1 open role, 1 page.");
}

// ---- JSON-LD completeness --------------------------------------------------------------

#[test]
fn a_posting_without_location_is_a_json_ld_error() {
    let found = fires("jsonld-location", "error", &[(ROLE, 6)], &[]);
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains("remote_countries")
    );
}

#[test]
fn missing_address_parts_are_named() {
    let found = fires("jsonld-address", "warning", &[(ROLE, 6)], &[]);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`somewhere` has no street, region, postal_code"),
        "{message}"
    );
    assert_eq!(
        found[0]["notes"][0],
        "defined in site.toml as [locations.somewhere]"
    );
}

#[test]
fn remote_countries_on_an_onsite_role_are_reported() {
    let found = fires("jsonld-remote", "warning", &[(ROLE, 9)], &[]);
    assert!(found[0]["message"].as_str().unwrap().contains("on-site"));
}

#[test]
fn remote_role_without_remote_countries_is_not_telecommute() {
    let site = TestSite::fixture("check/clean");
    site.write(
        "content/jobs/role.md",
        &site
            .read("content/jobs/role.md")
            .replace("workplace = \"hybrid\"", "workplace = \"remote\""),
    );
    let (report, _) = report(&site, &[]);
    let d = diagnostics(&report);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "jsonld-remote");
    assert_eq!(d[0]["line"], 7);
}

#[test]
fn salary_without_a_unit_is_left_out_of_json_ld() {
    let found = fires("jsonld-salary", "warning", &[(ROLE, 10)], &[]);
    assert!(found[0]["message"].as_str().unwrap().contains("no `per`"));
}

#[test]
fn missing_employment_type_is_a_warning() {
    fires("jsonld-employment-type", "warning", &[(ROLE, 2)], &[]);
}

#[test]
fn missing_valid_through_is_a_warning() {
    fires("jsonld-valid-through", "warning", &[(ROLE, 4)], &[]);
}

#[test]
fn hints_about_a_yaml_posting_are_written_in_yaml() {
    let site = TestSite::fixture("check/jsonld-valid-through");
    site.write(
        ROLE,
        "---\ntitle: Backend Engineer\ndepartment: Engineering\ndate: 2026-11-02\n\
         locations: [berlin]\nworkplace: hybrid\nsalary:\n  min: 60000\n  max: 80000\n  currency: EUR\n---\n\n\
         We build the services behind Checkco.\n",
    );
    let (report, _) = report(&site, &[]);
    let hints: Vec<String> = diagnostics(&report)
        .iter()
        .map(|d| format!("{}: {}", d["code"], d["hint"].as_str().unwrap_or_default()))
        .collect();
    let has = |needle: &str| hints.iter().any(|h| h.contains(needle));
    assert!(has("add valid_through: YYYY-MM-DD"), "{hints:#?}");
    assert!(has("add employment_type: full-time"), "{hints:#?}");
    assert!(
        has("add per: year (or hour, day, week, month) to `salary:`"),
        "{hints:#?}"
    );
    assert!(!hints.iter().any(|h| h.contains(" = ")), "{hints:#?}");
}

#[test]
fn an_empty_body_is_a_json_ld_error() {
    fires("jsonld-description", "error", &[(ROLE, 2)], &[]);
}

#[test]
fn company_without_logo_or_website_is_reported_in_site_toml() {
    let found = fires(
        "jsonld-organization",
        "warning",
        &[("site.toml", 0), ("site.toml", 0)],
        &[],
    );
    assert!(found[0]["message"].as_str().unwrap().contains("logo"));
    assert!(found[1]["message"].as_str().unwrap().contains("website"));
}

// ---- stale and expiring ---------------------------------------------------------------

#[test]
fn a_posting_closing_soon_is_reported_and_the_window_is_configurable() {
    let found = fires("expiring-soon", "warning", &[(ROLE, 5)], &[]);
    assert!(found[0]["message"].as_str().unwrap().contains("in 7 days"));
    let site = TestSite::fixture("check/expiring-soon");
    let (quiet, _) = report(&site, &["--expiring-within", "6d"]);
    assert_eq!(quiet["diagnostics"], serde_json::json!([]));
    let (wide, _) = report(&site, &["--expiring-within", "1w"]);
    assert_eq!(wide["warnings"], 1);
}

#[test]
fn a_scheduled_posting_opening_soon_is_an_info_within_the_same_window() {
    let found = fires(
        "opening-soon",
        "info",
        &[(ROLE, 5)],
        &["jsonld-valid-through"],
    );
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("opens on 2026-11-30, in 7 days")
    );
    let site = TestSite::fixture("check/opening-soon");
    let (quiet, _) = report(&site, &["--expiring-within", "6d"]);
    assert!(
        !diagnostics(&quiet)
            .iter()
            .any(|d| d["code"] == "opening-soon")
    );
    // Once it is published, it is an open role and no longer "opening".
    let run = site.run(&["check", "--today", "2026-11-30", "--format", "json"]);
    assert!(!run.stdout.contains("opening-soon"), "{}", run.stdout);
    assert!(
        run.stdout.contains("jsonld-valid-through"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_old_posting_is_stale_and_max_age_comes_from_site_toml_or_the_flag() {
    let found = fires("stale-posting", "warning", &[(ROLE, 4)], &[]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("posted 114 days ago")
    );
    let site = TestSite::fixture("check/stale-posting");
    let (quiet, _) = report(&site, &["--max-age", "120d"]);
    assert_eq!(quiet["diagnostics"], serde_json::json!([]));
    site.write(
        "site.toml",
        &format!("{}\n[check]\nmax_age = \"20w\"\n", site.read("site.toml")),
    );
    let (configured, _) = report(&site, &[]);
    assert_eq!(configured["diagnostics"], serde_json::json!([]));
    let (flag_wins, _) = report(&site, &["--max-age", "30"]);
    assert_eq!(flag_wins["warnings"], 1);
}

#[test]
fn an_expired_posting_is_an_info_until_it_is_older_than_the_max_age() {
    let found = fires("expired-posting", "info", &[(ROLE, 5)], &[]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("closed on 2026-11-01")
    );
    let site = TestSite::fixture("check/expired-posting");
    let (old, code) = report(&site, &["--max-age", "10d", "--deny-warnings"]);
    assert_eq!(old["diagnostics"][0]["severity"], "warning");
    assert_eq!(code, 1);
}

// ---- pay transparency ------------------------------------------------------------------

#[test]
fn pay_transparency_follows_locations_and_remote_countries() {
    let found = fires(
        "pay-transparency",
        "warning",
        &[
            ("content/jobs/denver.md", 6),
            ("content/jobs/remote-us.md", 8),
        ],
        &["jsonld-salary"],
    );
    let denver = &found[0];
    assert!(denver["message"].as_str().unwrap().contains("Colorado"));
    assert_eq!(denver["notes"].as_array().unwrap().len(), 1);
    assert!(
        denver["notes"][0]
            .as_str()
            .unwrap()
            .contains("C.R.S. § 8-5-201")
    );
    assert!(
        denver["notes"][0]
            .as_str()
            .unwrap()
            .contains("since 2021-01-01")
    );
    // A remote hire may live in any US state: every US rule applies.
    let remote = found[1]["notes"].as_array().unwrap();
    let names: Vec<&str> = remote
        .iter()
        .map(|n| n.as_str().unwrap().split(':').next().unwrap())
        .collect();
    for want in [
        "Colorado",
        "California",
        "New York City",
        "Washington, D.C.",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    // Austin, Texas has no such law: no warning for content/jobs/austin.md.
}

#[test]
fn pay_transparency_uses_today_to_decide_which_laws_are_in_force() {
    let site = TestSite::fixture("check/clean");
    // A Berlin role without [salary]: the EU directive applies from 7 June 2026.
    site.write(
        "content/jobs/role.md",
        &site
            .read("content/jobs/role.md")
            .replace("[salary]", "[extra]")
            .replace("date = 2026-11-02", "date = 2026-05-01")
            .replace("valid_through = 2027-01-31", "valid_through = 2026-05-31"),
    );
    let pay = |today: &str| -> Vec<Value> {
        let run = site.run(&[
            "check",
            "--today",
            today,
            "--format",
            "json",
            "--max-age",
            "999d",
        ]);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        diagnostics(&report)
            .into_iter()
            .filter(|d| d["code"] == "pay-transparency")
            .collect()
    };
    assert!(
        pay("2026-05-10").is_empty(),
        "closes before the directive applies"
    );
    site.write(
        "content/jobs/role.md",
        &site
            .read("content/jobs/role.md")
            .replace("valid_through = 2026-05-31", "valid_through = 2026-07-31"),
    );
    let upcoming = pay("2026-05-10");
    assert_eq!(upcoming.len(), 1, "still up when it applies");
    assert!(
        upcoming[0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("from 2026-06-07, while this posting is still up")
    );
    assert!(
        pay("2026-06-08")[0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("since 2026-06-07")
    );
}

#[test]
fn pay_transparency_matches_cities() {
    let site = TestSite::fixture("check/clean");
    site.write(
        "content/jobs/role.md",
        &site
            .read("content/jobs/role.md")
            .replace("[salary]", "[extra]")
            .replace("[\"berlin\"]", "[\"new-york\"]"),
    );
    let (report, _) = report(&site, &[]);
    let pay: Vec<Value> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["code"] == "pay-transparency")
        .collect();
    assert!(
        pay[0]["message"]
            .as_str()
            .unwrap()
            .contains("New York State and New York City")
    );
}

// ---- titles ------------------------------------------------------------------------

#[test]
fn a_salary_in_the_title_is_reported() {
    fires("title-salary", "warning", &[(ROLE, 2)], &[]);
}

#[test]
fn a_place_or_workplace_in_the_title_is_reported() {
    let found = fires("title-location", "warning", &[(ROLE, 2)], &[]);
    assert!(found[0]["message"].as_str().unwrap().contains("`Remote`"));
}

#[test]
fn a_job_code_in_the_title_is_reported() {
    fires("title-job-code", "warning", &[(ROLE, 2)], &[]);
}

#[test]
fn exclamation_marks_in_the_title_are_reported() {
    fires("title-punctuation", "warning", &[(ROLE, 2)], &[]);
}

#[test]
fn markup_in_the_title_is_reported() {
    let found = fires("title-markup", "warning", &[(ROLE, 2)], &[]);
    assert!(
        found[0]["message"].as_str().unwrap().contains("`<`"),
        "{found:?}"
    );
}

#[test]
fn a_shouting_title_is_reported() {
    fires("title-shouting", "warning", &[(ROLE, 2)], &[]);
}

#[test]
fn a_long_title_is_reported() {
    fires("title-length", "warning", &[(ROLE, 2)], &[]);
}

#[test]
fn the_company_name_in_the_title_is_reported() {
    fires("title-company", "warning", &[(ROLE, 2)], &[]);
}

// ---- the command --------------------------------------------------------------------

#[test]
fn the_example_site_passes_check_with_deny_warnings() {
    let site = TestSite::example();
    let run = site
        .run(&["check", "--today", TODAY, "--deny-warnings"])
        .success();
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
    assert!(!run.stderr.contains("error["), "{}", run.stderr);
    let (report, code) = report(&site, &["--deny-warnings"]);
    assert_eq!(code, 0);
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(0), Some(0))
    );
    // The one closed posting is mentioned, not held against the site.
    assert_eq!(report["infos"], 1);
    assert_eq!(report["diagnostics"][0]["code"], "expired-posting");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let site = TestSite::fixture("check/title-shouting");
    site.run(&["check", "--today", TODAY])
        .success()
        .stderr_has("warning[title-shouting]")
        .stderr_has("content/jobs/role.md:2:1")
        .stderr_has("1 warning");
    site.run(&["check", "--today", TODAY, "--deny-warnings"])
        .failure(1)
        .stderr_has("Check failed (--deny-warnings): 1 warning.");
    let quiet = site.run(&["check", "--today", TODAY, "--quiet"]).success();
    assert_eq!(quiet.stderr, "", "--quiet prints only errors");
    site.run(&["check", "--today", TODAY, "--format", "xml"])
        .failure(2);
    site.run(&["check", "--today", TODAY, "--expiring-within", "soon"])
        .failure(2)
        .stderr_has("number of days");
}

#[test]
fn json_report_has_the_documented_shape() {
    let site = TestSite::fixture("check/broken-link");
    let (report, code) = report(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 3);
    assert_eq!(report["warnings"], 0);
    assert_eq!(report["infos"], 0);
    let d = &report["diagnostics"][2];
    let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "code", "column", "hint", "line", "message", "notes", "path", "severity", "snippet"
        ]
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "broken-link");
    assert_eq!(d["path"], "content/jobs/role.md");
    assert_eq!(d["snippet"]["start"], 16);
    assert!(d["snippet"]["len"].as_u64().unwrap() > 1);
}

#[test]
fn build_errors_come_out_of_check_as_json_too() {
    let site = TestSite::fixture("invalid/unknown-key");
    let (report, code) = report(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(report["ok"], false);
    assert_eq!(report["diagnostics"][0]["code"], "unknown-key");
    assert_eq!(report["diagnostics"][0]["line"], 5);
}

// ---- formats for CI ------------------------------------------------------------

#[test]
fn github_format_prints_one_annotation_per_finding_with_file_line_and_column() {
    let site = TestSite::fixture("check/broken-link");
    let run = site
        .run(&["check", "--today", TODAY, "--format", "github"])
        .failure(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(
        lines[2].starts_with(
            "::error file=content/jobs/role.md,line=19,col=16,title=broken-link::link `../../benefit/`"
        ),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains("%0Ahint: did you mean"), "{}", lines[2]);
    assert!(
        run.stderr.contains("Check failed: 3 errors."),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_names_files_from_the_repository_root_and_notices_for_infos() {
    let repo = TestSite::empty();
    common::copy_dir(
        &common::repo().join("tests/fixtures/check/opening-soon"),
        &repo.path("careers"),
    );
    std::fs::copy(
        common::repo().join("tests/fixtures/check/site.toml"),
        repo.path("careers/site.toml"),
    )
    .unwrap();
    let run = repo
        .run(&[
            "check", "--root", "careers", "--today", TODAY, "--format", "github",
        ])
        .success();
    assert!(
        run.stdout.contains("::notice file=careers/content/jobs/role.md,line=5,col=1,title=opening-soon::opens on 2026-11-30"),
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_format_is_a_table_for_a_job_summary() {
    let site = TestSite::fixture("check/expiring-soon");
    let run = site
        .run(&["check", "--today", TODAY, "--format", "markdown"])
        .success();
    assert!(
        run.stdout.starts_with("### openings check: 1 open role"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 warning.\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("| warning | `expiring-soon` | `content/jobs/role.md:5:1` | closes on 2026-11-30, in 7 days<br>*"),
        "{}",
        run.stdout
    );
    let clean = TestSite::fixture("check/clean");
    let run = clean
        .run(&["check", "--today", TODAY, "--format", "markdown"])
        .success();
    assert!(
        run.stdout.ends_with("Nothing to report.\n"),
        "{}",
        run.stdout
    );
}

// ---- translations ----------------------------------------------------------------------

#[test]
fn a_role_without_a_translation_names_the_missing_languages_and_the_command() {
    let found = fires(
        "translation-missing",
        "info",
        &[("content/jobs/data-engineer.md", 2), (ROLE, 2)],
        &[],
    );
    let both = found[0]["message"].as_str().unwrap();
    assert!(both.contains("`de` and `pt`"), "{both}");
    let hint = found[0]["hint"].as_str().unwrap();
    assert!(
        hint.contains("data-engineer.de.md and data-engineer.pt.md"),
        "{hint}"
    );
    assert!(
        hint.contains("openings new --lang pt --from data-engineer"),
        "{hint}"
    );
    // role.md has its German translation: only Portuguese is missing.
    let one = found[1]["message"].as_str().unwrap();
    assert!(one.contains("`pt`") && !one.contains("`de`"), "{one}");
    let hint = found[1]["hint"].as_str().unwrap();
    assert!(
        hint.contains("role.pt.md") && hint.contains("openings new --lang pt --from role"),
        "{hint}"
    );
}

#[test]
fn a_translation_the_original_moved_on_from_is_stale_and_the_lag_comes_from_site_toml() {
    let found = fires(
        "translation-stale",
        "warning",
        &[
            ("content/jobs/role.de.md", 3),
            ("content/jobs/role.pt.md", 2),
        ],
        &[],
    );
    let de = found[0]["message"].as_str().unwrap();
    assert!(
        de.contains("updated on 2026-10-10") && de.contains("41 days later"),
        "{de}"
    );
    // Without `updated`, the translation counts as written when the role was posted.
    let pt = found[1]["message"].as_str().unwrap();
    assert!(
        pt.contains("no `updated`") && pt.contains("50 days later"),
        "{pt}"
    );
    assert!(
        found[1]["hint"]
            .as_str()
            .unwrap()
            .contains("updated: 2026-11-23"),
        "the hint is written in the file's YAML"
    );
    let site = TestSite::fixture("check/translation-stale");
    let shared = site.read("site.toml");
    let with_lag = |lag: &str| {
        site.write(
            "site.toml",
            &format!("{shared}\n[check]\ntranslation_lag = {lag}\n"),
        );
        let (report, _) = report(&site, &[]);
        diagnostics(&report)
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(with_lag("\"45d\""), ["content/jobs/role.pt.md"]);
    assert_eq!(with_lag("\"8w\""), Vec::<String>::new());
    with_lag("\"soon\"");
    site.run(&["check", "--today", TODAY])
        .failure(1)
        .stderr_has("translation_lag = \"30d\"");
}

#[test]
fn an_amount_in_a_translation_that_the_original_does_not_give_is_reported() {
    let found = fires(
        "salary-mismatch",
        "warning",
        &[
            ("content/jobs/role.de.md", 10),
            ("content/jobs/role.de.md", 11),
        ],
        &[],
    );
    assert_eq!(
        found[0]["snippet"]["line_text"],
        "Das Gehalt liegt bei 60.000–85.000 € im Jahr,"
    );
    assert_eq!(found[0]["column"], 29);
    let range = found[0]["message"].as_str().unwrap();
    assert!(
        range.starts_with("`85.000 €` is neither the salary (60000–80000 EUR)"),
        "{range}"
    );
    let budget = found[1]["message"].as_str().unwrap();
    assert!(budget.starts_with("`2.000 €`"), "{budget}");
    let hint = found[1]["hint"].as_str().unwrap();
    assert!(
        hint.contains("(1500, 60000, 80000)") && hint.contains("content/jobs/role.md"),
        "{hint}"
    );
}

#[test]
fn translations_in_step_with_their_original_pass() {
    // The same amounts written the German way, the same 200 ms and year, an
    // `updated` after the original's.
    let site = TestSite::fixture("check/translations-clean");
    let (report, code) = report(&site, &["--deny-warnings"]);
    assert_eq!(code, 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

#[test]
fn the_multilingual_example_reports_only_the_roles_it_has_not_translated() {
    let site = TestSite::fixture("valid/languages");
    let (report, _) = report(&site, &[]);
    let translation: Vec<(String, String)> = diagnostics(&report)
        .iter()
        .filter(|d| {
            let code = d["code"].as_str().unwrap();
            code.starts_with("translation-") || code == "salary-mismatch"
        })
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let missing = |path: &str| ("translation-missing".to_string(), path.to_string());
    assert_eq!(
        translation,
        [
            missing("content/jobs/grid-analyst.md"),
            missing("content/jobs/site-reliability-engineer.md")
        ]
    );
}
