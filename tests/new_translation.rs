//! `openings new --lang LANG --from SLUG`: the translation it writes has the
//! original's text keys and body in the original's syntax, builds, and
//! answers `check`'s `translation-missing`; a wrong slug, an undeclared
//! language or an existing file is refused with what to do.

mod common;
use common::{TODAY, TestSite};
use serde_json::Value;

/// Where `check` reports `translation-missing`, with the message.
fn missing_messages(site: &TestSite) -> Vec<(String, String)> {
    let run = site.run(&["check", "--today", TODAY, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    assert_eq!(report["errors"], 0, "{}", run.stdout);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "translation-missing")
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap().to_string();
            (text("path"), text("message"))
        })
        .collect()
}

/// The paths `check` reports `translation-missing` at.
fn missing_translations(site: &TestSite) -> Vec<String> {
    missing_messages(site)
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

const SRE: &str = "content/jobs/site-reliability-engineer.md";

#[test]
fn a_yaml_translation_copies_the_text_keys_and_body_and_answers_translation_missing() {
    let site = TestSite::fixture("valid/languages");
    assert_eq!(
        missing_translations(&site),
        ["content/jobs/grid-analyst.md", SRE]
    );
    site.run(&[
        "new",
        "--lang",
        "pt",
        "--from",
        "site-reliability-engineer",
        "--today",
        TODAY,
    ])
    .success()
    .stderr_has("Created content/jobs/site-reliability-engineer.pt.md from");
    let text = site.read("content/jobs/site-reliability-engineer.pt.md");
    let original = site.read(SRE);
    assert!(
        text.starts_with(
            "---\n# The Portuguese (pt) translation of content/jobs/site-reliability-engineer.md.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\ntitle: Site Reliability Engineer\nsummary: Keep the control plane"),
        "{text}"
    );
    assert!(
        text.contains(&format!("\nupdated: {TODAY}\ndraft: true\n---\n")),
        "{text}"
    );
    let body = &original[original.find("\n---\n").unwrap() + 5..];
    assert!(text.ends_with(body), "the body is the original's:\n{text}");
    for fact in [
        "salary:",
        "department:",
        "locations:",
        "date:",
        "valid_through:",
    ] {
        assert!(
            !text.lines().any(|l| l.starts_with(fact)),
            "{fact} is the original's:\n{text}"
        );
    }
    // A draft: not published yet, so still missing in Portuguese.
    assert_eq!(
        missing_translations(&site),
        ["content/jobs/grid-analyst.md", SRE]
    );
    site.build();
    assert!(!site.exists("public/pt/jobs/site-reliability-engineer/index.html"));
    site.write(
        "content/jobs/site-reliability-engineer.pt.md",
        &text.replace("draft: true\n", ""),
    );
    assert_eq!(
        missing_translations(&site),
        ["content/jobs/grid-analyst.md"]
    );
    site.build();
    assert!(site.exists("public/pt/jobs/site-reliability-engineer/index.html"));
}

#[test]
fn a_toml_translation_has_the_questions_to_translate_and_builds_once_translated() {
    let site = TestSite::fixture("valid/languages");
    site.write(
        "content/jobs/ops/night-operator.md",
        r#"+++
title = "Night Operator"
department = "Operations"
team = "Control room"
seniority = "mid"
locations = ["berlin"]
workplace = "onsite"
employment_type = "full-time"
date = 2026-11-02
summary = 'Watch the "plant" at night.'

[[questions]]
id = "shifts"
label = "Which shifts can you work?"
kind = "multiselect"
required = true
options = ["Early", "Late", "Night"]
help = "Pick all that apply."

[[questions]]
id = "licence"
label = "Do you hold a SCADA licence?"
kind = "yes-no"
+++

You watch forty utilities' batteries from our control room.
"#,
    );
    site.run(&[
        "new",
        "--lang",
        "de",
        "--from",
        "night-operator",
        "--today",
        TODAY,
    ])
    .success();
    let path = "content/jobs/ops/night-operator.de.md";
    let text = site.read(path);
    assert!(
        text.starts_with(
            "+++\n# The German (de) translation of content/jobs/ops/night-operator.md.\n"
        ),
        "{text}"
    );
    let expected = format!(
        "title = \"Night Operator\"\nsummary = 'Watch the \"plant\" at night.'\nteam = \"Control room\"\nseniority = \"mid\"\nupdated = {TODAY}\ndraft = true\n\n[[questions]]\nid = \"shifts\"\nlabel = \"Which shifts can you work?\"\nhelp = \"Pick all that apply.\"\noptions = [\"Early\", \"Late\", \"Night\"]\n\n[[questions]]\nid = \"licence\"\nlabel = \"Do you hold a SCADA licence?\"\n+++\n\nYou watch forty utilities' batteries from our control room.\n"
    );
    assert!(text.ends_with(&expected), "{text}");
    assert!(
        !text.contains("kind") && !text.contains("required"),
        "{text}"
    );
    site.build();
    // A draft until translated: the German listing shows the original.
    assert!(!site.exists("public/de/jobs/night-operator/index.html"));
    assert!(site.page("de/").contains("Night Operator"));
    // Translated in place and published, the German page asks the German question.
    site.write(
        path,
        &text
            .replace("draft = true\n", "")
            .replace(
                "Which shifts can you work?",
                "Welche Schichten kannst du übernehmen?",
            )
            .replace("\"Night\"]", "\"Nacht\"]"),
    );
    site.build();
    let page = site.page("de/jobs/night-operator/");
    assert!(
        page.contains("Welche Schichten kannst du übernehmen?"),
        "{page}"
    );
    assert!(page.contains("Nacht"), "{page}");
    // Portuguese is still to do.
    let night: Vec<String> = missing_messages(&site)
        .into_iter()
        .filter(|(path, _)| path == "content/jobs/ops/night-operator.md")
        .map(|(_, message)| message)
        .collect();
    assert_eq!(night.len(), 1);
    assert!(
        night[0].contains("`pt`") && !night[0].contains("`de`"),
        "{night:?}"
    );
}

#[test]
fn a_wrong_slug_an_undeclared_language_or_an_existing_file_is_refused() {
    let site = TestSite::fixture("valid/languages");
    let new = |lang: &str, from: &str| site.run(&["new", "--lang", lang, "--from", from]);
    new("de", "backend")
        .failure(1)
        .stderr_has("no posting has the slug `backend`")
        .stderr_has("did you mean `backend-engineer`?");
    new("de", "analyst-grid")
        .failure(1)
        .stderr_has("`grid-analyst`");
    new("fr", "grid-analyst")
        .failure(1)
        .stderr_has("does not declare the language `fr` (its further languages are de, pt)")
        .stderr_has("add [languages.fr] to site.toml");
    new("en", "grid-analyst")
        .failure(1)
        .stderr_has("`en` is the site's default language");
    let before = site.read("content/jobs/backend-engineer.de.md");
    new("de", "backend-engineer")
        .failure(1)
        .stderr_has("content/jobs/backend-engineer.de.md already exists")
        .stderr_has("never overwrites");
    assert_eq!(site.read("content/jobs/backend-engineer.de.md"), before);
    assert!(!site.exists("content/jobs/grid-analyst.fr.md"));
    assert!(!site.exists("content/jobs/grid-analyst.en.md"));
    site.run(&["new", "--from", "grid-analyst"]).failure(2);
    site.run(&[
        "new",
        "--lang",
        "de",
        "--from",
        "grid-analyst",
        "--department",
        "Data",
    ])
    .failure(2);
    site.run(&["new", "Chef", "--lang", "de", "--from", "grid-analyst"])
        .failure(2);
    assert!(!site.exists("content/jobs/grid-analyst.de.md"));
}

#[test]
fn new_help_teaches_translations() {
    let help = TestSite::empty().run(&["new", "--help"]).success();
    for needle in [
        "--lang <LANG>",
        "--from <SLUG>",
        "openings new --lang de --from backend-engineer",
        "[languages.de]",
        "never replaced",
    ] {
        assert!(
            help.stdout.contains(needle),
            "new --help lacks {needle}:\n{}",
            help.stdout
        );
    }
}
