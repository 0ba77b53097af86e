//! Every content rule is an error that names the file, line and column, quotes the
//! line and says what to do; a failed build leaves the output folder untouched.

mod common;
use common::TestSite;

/// Builds an invalid fixture, expects exit 1 with each needle in stderr, and
/// snapshots the whole message.
#[track_caller]
fn fails(fixture: &str, needles: &[&str]) -> String {
    let site = TestSite::fixture(&format!("invalid/{fixture}"));
    let run = site.build_with(&[]).failure(1);
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "{fixture}: stderr lacks {needle:?}:\n{}",
            run.stderr
        );
    }
    assert!(
        !site.exists("public"),
        "{fixture}: a failed build wrote public/"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    insta::assert_snapshot!(fixture, run.stderr);
    run.stderr
}

#[test]
fn unknown_key_suggests_the_closest_known_key() {
    fails(
        "unknown-key",
        &[
            "error[unknown-key]: unknown key `valid_thru`",
            "--> content/jobs/role.md:5:1",
            "did you mean `valid_through`?",
        ],
    );
}

#[test]
fn unknown_key_in_yaml_front_matter_has_its_line_too() {
    fails(
        "unknown-key-yaml",
        &[
            "unknown key `period` in [salary]",
            "content/jobs/role.md:9:3",
            "did you mean `per`?",
        ],
    );
}

#[test]
fn hints_about_yaml_front_matter_are_written_in_yaml() {
    let stderr = fails(
        "wrong-type-yaml",
        &[
            "add a line such as department: Engineering",
            "`tags` must be a list, not a string",
            "write it like this: tags: [a, b]",
            "write it like this: draft: true",
            "write it like this: `salary:` followed by indented `key: value` lines",
            "Free-form data for themes goes under `extra:`",
            "add options: [first, second]",
        ],
    );
    for help in stderr.lines().filter_map(|l| l.split_once("= help:")) {
        let help = help.1;
        assert!(
            !help.contains(" = ") && !help.contains("[salary]") && !help.contains("[extra]"),
            "a TOML hint for a YAML file: {help}"
        );
    }
}

#[test]
fn missing_required_key_is_named() {
    fails(
        "missing-required",
        &[
            "missing required key `department`",
            "content/jobs/role.md:2:1",
        ],
    );
}

#[test]
fn bad_enum_values_suggest_the_right_word() {
    fails(
        "bad-enum",
        &[
            "`fulltime` is not a valid employment_type",
            "content/jobs/role.md:5:19",
            "did you mean `full-time`?",
            "`remote-first` is not a valid workplace",
        ],
    );
}

#[test]
fn unknown_location_key_is_an_error() {
    fails(
        "unknown-location",
        &[
            "unknown location `berlinn`",
            "content/jobs/role.md:5:24",
            "did you mean `berlin`?",
        ],
    );
}

#[test]
fn duplicate_slug_names_both_files() {
    fails(
        "duplicate-slug",
        &[
            "slug `a-role` is used by two postings",
            "content/jobs/b-role.md:3:8",
            "also used by content/jobs/a-role.md",
        ],
    );
}

#[test]
fn valid_through_before_date_is_an_error() {
    fails(
        "closes-before-posted",
        &[
            "`valid_through` (2026-10-01) is before `date` (2026-11-02)",
            "content/jobs/role.md:5:17",
        ],
    );
}

#[test]
fn salary_min_above_max_is_an_error() {
    fails(
        "salary-range",
        &[
            "`salary.min` (120000) is greater than `salary.max` (90000)",
            "content/jobs/role.md:7:7",
        ],
    );
}

#[test]
fn unknown_currency_is_an_error() {
    fails(
        "unknown-currency",
        &[
            "`EURO` is not an ISO 4217 currency code",
            "content/jobs/role.md:9:12",
            "did you mean \"EUR\"?",
        ],
    );
}

#[test]
fn placeholders_outside_code_are_errors() {
    let stderr = fails(
        "placeholder",
        &[
            "unfilled placeholder `{{company}}`",
            "content/jobs/role.md:2:30",
            "unfilled placeholder `{{ hiring_manager }}`",
            "content/jobs/role.md:7:20",
        ],
    );
    assert!(
        !stderr.contains("{{ this }}") && !stderr.contains("{{ and this }}"),
        "{stderr}"
    );
}

#[test]
fn unparseable_toml_front_matter_points_at_the_value() {
    fails(
        "invalid-toml",
        &["this is not valid TOML", "content/jobs/role.md:3:"],
    );
}

#[test]
fn unparseable_yaml_front_matter_points_at_the_line() {
    // The `[` left open on line 3, not line 4 where the parser gave up.
    fails(
        "invalid-yaml",
        &[
            "this is not valid YAML: this `[` is never closed",
            "content/jobs/role.md:3:13",
        ],
    );
}

#[test]
fn invalid_dates_are_errors() {
    fails(
        "invalid-date",
        &[
            "`date` is not a valid date: `2026-13-02`",
            "content/jobs/role.md:4:8",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn a_file_without_front_matter_is_an_error() {
    fails(
        "no-front-matter",
        &["this file has no front matter", "content/jobs/role.md:1:1"],
    );
}

#[test]
fn questions_are_validated() {
    fails(
        "questions",
        &[
            "a `select` question needs `options`",
            "question id `Start Date` must be lower-case letters, digits and `_`",
            "`date` is not a valid kind",
        ],
    );
}

#[test]
fn site_toml_problems_are_reported_with_lines() {
    fails(
        "site-config",
        &[
            "site.toml:2:12",
            "`brokenco.example` is not an absolute URL",
            "unknown key `languag`",
            "did you mean `language`?",
            "`Germany` is not an ISO 3166-1 country code",
            "did you mean \"DE\"?",
        ],
    );
}

#[test]
fn all_mistakes_of_a_build_are_reported_together() {
    let stderr = fails(
        "many-mistakes",
        &[
            "unknown key `valid_thru`",
            "`fulltime` is not a valid employment_type",
            "unfilled placeholder `{{company}}`",
            "slug `role-one` is used by two postings",
            "Build failed: 4 errors; public was not changed.",
        ],
    );
    assert_eq!(stderr.matches("error[").count(), 4, "{stderr}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let before = common::files_under(&site.path("public"));
    site.write(
        "content/jobs/broken.md",
        "+++\ntitle = \"Broken\"\ndepartment = \"X\"\ndate = 2026-11-02\nvalid_thru = 1\n+++\n",
    );
    site.remove("content/jobs/support-specialist.md");
    site.build_with(&[])
        .failure(1)
        .stderr_has("public was not changed");
    assert_eq!(common::files_under(&site.path("public")), before);
}

#[test]
fn a_template_error_on_one_page_leaves_the_previous_output_exactly_as_it_was() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let before = common::files_under(&site.path("public"));
    // Fails while rendering one role only, after other pages rendered fine.
    site.write(
        "templates/job.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ job.title }}</h1>\n\
         {% if job.slug == \"support-specialist\" %}{{ job.title | nosuchfilter }}{% endif %}\n\
         {% endblock %}\n",
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("templates/job.html:4")
        .stderr_has("public was not changed");
    // Nothing staged is left behind either.
    assert_eq!(common::files_under(&site.path("public")), before);
}

#[test]
fn a_failed_first_build_into_an_empty_folder_leaves_it_empty() {
    let site = TestSite::fixture("valid/basic");
    std::fs::create_dir(site.path("public")).unwrap();
    site.write(
        "templates/job.html",
        "{% extends \"base.html\" %}\n{% block main %}\n\
         {% if job.slug == \"support-specialist\" %}{{ job.title | nosuchfilter }}{% endif %}\n\
         {% endblock %}\n",
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("public was not changed");
    assert!(site.exists("public"));
    assert!(common::files_under(&site.path("public")).is_empty());
    assert_eq!(std::fs::read_dir(site.path("public")).unwrap().count(), 0);
}

#[test]
fn a_failed_first_build_leaves_no_folder_it_made() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "templates/job.html",
        "{% extends \"base.html\" %}{% block main %}{{ job.title | nosuchfilter }}{% endblock %}\n",
    );
    site.build_with(&["--output", "deep/er/public"])
        .failure(1)
        .stderr_has("deep/er/public was not changed");
    assert!(!site.exists("deep"));
}

#[test]
fn a_static_file_with_the_path_of_a_page_is_an_error() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let before = common::files_under(&site.path("public"));
    site.write("static/404.html", "<p>mine</p>");
    site.build_with(&[])
        .failure(1)
        .stderr_has("the static file `404.html` has the path of a page")
        .stderr_has("public was not changed");
    assert_eq!(common::files_under(&site.path("public")), before);
}

#[test]
fn a_template_error_names_the_template_and_line() {
    let site = TestSite::fixture("valid/basic");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | nosuchfilter }}\n{% endblock %}\n");
    site.build_with(&[])
        .failure(1)
        .stderr_has("template error")
        .stderr_has("templates/page.html:3");
    assert!(!site.exists("public"));
}
