//! A site in three languages (tests/fixtures/valid/languages: English by
//! default, German and Portuguese): what a build writes for each language,
//! that every page and its alternates point at each other, that feeds,
//! sitemap and structured data describe the page they are on, and that a
//! translation which changes a fact, has no original or is in an undeclared
//! language is refused with a message naming the files.

mod common;

use common::TestSite;
use std::collections::{BTreeMap, BTreeSet};

fn site() -> TestSite {
    let site = TestSite::fixture("valid/languages");
    site.build();
    site
}

const BASE: &str = "https://careers.kestrel.example/";

/// Every `<link rel="alternate" hreflang>` of a page: hreflang -> href.
fn alternates(html: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for tag in html.split("<link ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if !tag.contains("rel=\"alternate\"") || !tag.contains("hreflang=") {
            continue;
        }
        let attr = |name: &str| {
            let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            tag[at..at + tag[at..].find('"').unwrap()].to_string()
        };
        out.insert(attr("hreflang"), attr("href"));
    }
    out
}

/// The value of the first `<link rel="canonical">`.
fn canonical(html: &str) -> String {
    let at = html
        .find("<link rel=\"canonical\" href=\"")
        .expect("a canonical link")
        + 28;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

/// The output file of an absolute URL of the site.
fn file_of(url: &str) -> String {
    let rel = url.strip_prefix(BASE).expect("a URL of the site");
    if rel.is_empty() || rel.ends_with('/') {
        format!("public/{rel}index.html")
    } else {
        format!("public/{rel}")
    }
}

#[test]
fn each_language_has_its_pages_under_its_prefix() {
    let site = site();
    for page in [
        "public/de/index.html",
        "public/pt/index.html",
        "public/de/jobs/backend-engineer/index.html",
        "public/pt/jobs/backend-engineer/index.html",
        "public/de/jobs/site-reliability-engineer/index.html",
        "public/de/departments/engineering/index.html",
        "public/de/locations/berlin/index.html",
        "public/de/benefits/index.html",
        "public/de/feed.xml",
        "public/de/jobs.json",
        "public/pt/feed.xml",
    ] {
        assert!(site.exists(page), "{page} was not written");
    }
    // Not translated: no page of its own, and the 404 page and the sitemap are the root's.
    for absent in [
        "public/de/jobs/grid-analyst/index.html",
        "public/pt/jobs/site-reliability-engineer/index.html",
        "public/pt/benefits/index.html",
        "public/de/404.html",
        "public/de/sitemap.xml",
        "public/de/jobs.xml",
    ] {
        assert!(!site.exists(absent), "{absent} should not be written");
    }
    let de = site.page("de/");
    assert!(de.contains("<html lang=\"de\">"), "{}", &de[..200]);
    assert!(de.contains("<title>Karriere bei Kestrel Grid</title>"));
    assert!(site.page("pt/").contains("<html lang=\"pt\">"));
    assert!(site.page("").contains("<html lang=\"en\">"));
    // Department and location names as site.toml gives them per language.
    assert!(
        de.contains(">Entwicklung<"),
        "German department name missing"
    );
    assert!(site.page("pt/").contains("Lisboa, Portugal"));
}

#[test]
fn a_role_not_translated_is_listed_under_its_original_title_and_link() {
    let site = site();
    let de = site.page("de/");
    let card = de
        .split("<li class=\"job-card\"")
        .find(|c| c.contains("Grid Data Analyst"))
        .expect("the untranslated role is on the German listing");
    assert!(
        card.contains(
            "<a href=\"/jobs/grid-analyst/\" hreflang=\"en\" lang=\"en\">Grid Data Analyst</a>"
        ),
        "{card}"
    );
    assert!(card.contains("badge--language\">English<"), "{card}");
    // A translated one links to its German page, without a language badge.
    let card = de
        .split("<li class=\"job-card\"")
        .find(|c| c.contains("/de/jobs/backend-engineer/"))
        .expect("the translated role is on the German listing");
    assert!(
        card.contains(">Backend-Entwickler*in, Dispatch</a>"),
        "{card}"
    );
    assert!(!card.contains("badge--language"), "{card}");
}

#[test]
fn hreflang_alternates_point_both_ways_with_x_default_and_a_self_canonical() {
    let site = site();
    let pages: Vec<String> = common::files_under(&site.path("public"))
        .into_keys()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .collect();
    assert!(pages.len() >= 25, "{pages:?}");
    let mut checked = 0;
    for page in &pages {
        let html = site.read(&format!("public/{page}"));
        let own = format!("{BASE}{}", page.trim_end_matches("index.html"));
        assert_eq!(
            canonical(&html),
            own,
            "{page}: canonical is not the page itself"
        );
        let links = alternates(&html);
        if page == "jobs/grid-analyst/index.html" {
            assert!(links.is_empty(), "{page} is in English only: {links:?}");
            continue;
        }
        assert!(
            links.len() >= 3,
            "{page}: a page in two languages or more has hreflang alternates: {links:?}"
        );
        let x_default = links.get("x-default").expect("x-default");
        assert_eq!(
            x_default,
            links.get("en").unwrap(),
            "{page}: x-default is the English page"
        );
        let lang = html
            .split("<html lang=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(
            links.get(lang),
            Some(&own),
            "{page}: the page is among its own alternates"
        );
        // Each alternate lists exactly the same set: the pairs hold both ways.
        for (hreflang, href) in links.iter().filter(|(l, _)| *l != "x-default") {
            let other = site.read(&file_of(href));
            assert_eq!(
                alternates(&other),
                links,
                "{page} names {href} as its {hreflang} alternate, which names others"
            );
            checked += 1;
        }
        // The switcher goes to the same page in the other languages.
        for (hreflang, href) in links.iter().filter(|(l, _)| *l != "x-default") {
            let path = &href[BASE.len() - 1..];
            assert!(
                html.contains(&format!(
                    "<a href=\"{path}\" hreflang=\"{hreflang}\" lang=\"{hreflang}\""
                )),
                "{page}: no switcher link to {path}"
            );
        }
    }
    assert!(checked > 60, "only {checked} alternate pairs checked");
}

#[test]
fn a_role_page_in_german_is_german_through_and_through() {
    let site = site();
    let html = site.page("de/jobs/backend-engineer/");
    assert!(html.contains("<h1>Backend-Entwickler*in, Dispatch</h1>"));
    assert!(html.contains("Planungskern"), "the German body");
    // Money and dates as German writes them (CLDR through ICU4X).
    assert!(html.contains("90.000\u{a0}€"), "German grouping and symbol");
    assert!(html.contains("28. Februar 2027"), "a German date");
    // The form posts its language, shows the German options and keeps the
    // original values, which are what is stored.
    assert!(html.contains("action=\"/apply/backend-engineer?lang=de\""));
    assert!(html.contains("<option value=\"One month\">Ein Monat</option>"));
    assert!(html.contains("Wie viele Jahre hast du Rust in Produktion geschrieben?"));
    assert!(
        html.contains("Ich bin damit einverstanden"),
        "the German consent"
    );
    // The JobPosting describes this page.
    let script = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("JSON-LD on the role page");
    let posting: serde_json::Value = serde_json::from_str(script).unwrap();
    assert_eq!(posting["title"], "Backend-Entwickler*in, Dispatch");
    assert_eq!(posting["url"], format!("{BASE}de/jobs/backend-engineer/"));
    assert!(
        posting["description"]
            .as_str()
            .unwrap()
            .contains("Planungskern")
    );
    // Facts are the original's.
    assert_eq!(
        posting["validThrough"].as_str().map(|s| &s[..10]),
        Some("2027-02-28")
    );
    assert_eq!(posting["baseSalary"]["value"]["minValue"], 90000.0);
    // The English page is untouched by the translation.
    let en = site.page("jobs/backend-engineer/");
    assert!(en.contains("<h1>Backend Engineer, Dispatch</h1>"));
    assert!(en.contains("action=\"/apply/backend-engineer\""));
    assert!(en.contains("<option>One month</option>"));
}

#[test]
fn feeds_exist_per_language_and_the_sitemap_lists_every_alternate() {
    let site = site();
    let feed = site.read("public/de/feed.xml");
    assert!(feed.contains("xml:lang=\"de\""), "{}", &feed[..400]);
    assert!(feed.contains(&format!("{BASE}de/jobs/backend-engineer/")));
    // The untranslated role is in the German feed at its original URL.
    assert!(feed.contains(&format!("{BASE}jobs/grid-analyst/")));
    assert!(!feed.contains(&format!("{BASE}de/jobs/grid-analyst/")));
    let entry = feed
        .split("<entry")
        .find(|e| e.contains("jobs/grid-analyst/"))
        .unwrap();
    assert!(entry.starts_with(" xml:lang=\"en\">"), "{entry}");
    // A plain page not translated into Portuguese: the original's title and
    // link in the navigation, marked with its language.
    assert!(
        site.page("pt/")
            .contains("<a href=\"/benefits/\" hreflang=\"en\" lang=\"en\">Benefits</a>")
    );
    assert!(
        site.page("de/")
            .contains("<a href=\"/de/benefits/\">Leistungen</a>")
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("public/pt/jobs.json")).unwrap();
    assert_eq!(json["language"], "pt");
    assert_eq!(json["feed_url"], format!("{BASE}pt/jobs.json"));
    assert_eq!(json["home_page_url"], format!("{BASE}pt/"));

    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entries: Vec<&str> = sitemap.split("<url>").skip(1).collect();
    let locs: BTreeSet<String> = entries
        .iter()
        .map(|e| {
            e.split("<loc>")
                .nth(1)
                .unwrap()
                .split("</loc>")
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    for loc in [
        format!("{BASE}de/jobs/backend-engineer/"),
        format!("{BASE}pt/jobs/backend-engineer/"),
        format!("{BASE}de/benefits/"),
        format!("{BASE}jobs/grid-analyst/"),
    ] {
        assert!(locs.contains(&loc), "the sitemap lacks {loc}");
    }
    assert!(!locs.contains(&format!("{BASE}de/jobs/grid-analyst/")));
    let entry = entries
        .iter()
        .find(|e| e.contains(&format!("<loc>{BASE}pt/jobs/backend-engineer/</loc>")))
        .unwrap();
    for (lang, url) in [
        ("en", format!("{BASE}jobs/backend-engineer/")),
        ("de", format!("{BASE}de/jobs/backend-engineer/")),
        ("pt", format!("{BASE}pt/jobs/backend-engineer/")),
        ("x-default", format!("{BASE}jobs/backend-engineer/")),
    ] {
        let link = format!("<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{url}\"/>");
        assert!(entry.contains(&link), "{entry}");
    }
    // The same number of pages in the sitemap as alternates say exist.
    assert_eq!(
        entries.len(),
        locs.len(),
        "every page once: {}",
        entries.len()
    );
}

#[test]
fn a_right_to_left_language_gets_dir_rtl() {
    let site = TestSite::fixture("valid/languages");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[languages.ar]\ntitle = \"وظائف\"\n"),
    );
    site.write(
        "content/jobs/backend-engineer.ar.md",
        "---\ntitle: مهندس برمجيات\n---\n\nنص الوظيفة.\n",
    );
    site.build();
    let html = site.page("ar/jobs/backend-engineer/");
    assert!(
        html.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{}",
        &html[..200]
    );
    assert!(site.page("de/").contains("<html lang=\"de\">"));
    // The switcher names it with dir="rtl" from the other languages' pages too.
    assert!(
        site.page("")
            .contains("hreflang=\"ar\" lang=\"ar\" dir=\"rtl\"")
    );
}

#[test]
fn a_translation_that_changes_a_fact_is_refused_naming_both_files() {
    let site = TestSite::fixture("valid/languages");
    let path = "content/jobs/backend-engineer.de.md";
    let text = site.read(path);
    site.write(
        path,
        &text.replace(
            "department: Engineering\n",
            "department: Engineering\nsalary:\n  min: 95000\n  max: 110000\n  currency: EUR\n",
        ),
    );
    let run = site.build_with(&[]).failure(1);
    run.stderr_has("content/jobs/backend-engineer.de.md:5")
        .stderr_has("`salary` differs from the original content/jobs/backend-engineer.md")
        .stderr_has("remove `salary` from this file");
    assert!(!site.exists("public/index.html"), "nothing is written");
}

#[test]
fn a_translated_question_must_keep_its_kind_and_options() {
    let site = TestSite::fixture("valid/languages");
    let path = "content/jobs/backend-engineer.pt.md";
    let text = site.read(path);
    site.write(
        path,
        &text
            .replace(
                "  - id: rust_years\n",
                "  - id: rust_years\n    kind: text\n",
            )
            .replace("      - Três meses\n", ""),
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("`rust_years.kind` differs from the original")
        .stderr_has("question `notice` has 2 options here and 3 in the original");
}

#[test]
fn a_translation_without_original_or_in_an_undeclared_language_is_refused() {
    let site = TestSite::fixture("valid/languages");
    site.write(
        "content/jobs/data-engineer.de.md",
        "---\ntitle: Dateningenieur*in\n---\n\nText.\n",
    );
    site.write(
        "content/jobs/backend-engineer.fr.md",
        "---\ntitle: Ingénieur backend\n---\n\nTexte.\n",
    );
    site.write(
        "content/jobs/backend-engineer.en.md",
        "---\ntitle: Backend Engineer\n---\n\nText.\n",
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("content/jobs/data-engineer.de.md")
        .stderr_has(
            "this translation has no original: content/jobs/data-engineer.md does not exist",
        )
        .stderr_has("content/jobs/backend-engineer.fr.md")
        .stderr_has("a translation into `fr`, which site.toml does not declare")
        .stderr_has("add [languages.fr] to site.toml")
        .stderr_has("`en` is the site's default language")
        .stderr_has("rename this file to content/jobs/backend-engineer.md");
}

#[test]
fn a_file_name_with_a_dot_that_is_no_language_is_an_original() {
    let site = TestSite::fixture("valid/languages");
    site.write(
        "content/jobs/engineer-v2.0.md",
        "---\ntitle: Engineer\ndepartment: Engineering\ndate: 2026-11-01\n---\n\nText.\n",
    );
    site.build();
    assert!(
        site.exists("public/jobs/engineer-v2-0/index.html")
            || site.exists("public/jobs/engineer-v20/index.html"),
        "{:?}",
        common::files_under(&site.path("public/jobs"))
            .keys()
            .collect::<Vec<_>>()
    );
}

#[test]
fn languages_in_site_toml_are_checked() {
    let site = TestSite::fixture("valid/languages");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[languages.en]\ntitle = \"x\"\n[languages.es]\ntitel = \"y\"\n"),
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("`en` is the site's default language (`language`)")
        .stderr_has("unknown key `titel` in [languages.es]");
    site.write(
        "site.toml",
        &format!("{config}\n[apply.languages.it]\nconsent = \"z\"\n").replace(
            "bengaluru = \"Bengaluru, Indien\"",
            "bengaluru = \"Bengaluru, Indien\"\nmunich = \"München\"",
        ),
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("`it` is not one of the site's languages")
        .stderr_has("add [languages.it] to site.toml")
        .stderr_has("names `munich`, which is not in [locations]");
}

#[test]
fn the_endpoint_answers_in_the_language_the_form_was_sent_from() {
    use common::server::{Server, post_form, send};
    let site = TestSite::fixture("valid/languages");
    let server = Server::production(&site, &[]);
    let addr = server.addr;

    // A mistake on the Portuguese page comes back as the Portuguese page.
    let bad = common::form::Form::languages_fixture().set("email", "ada-at-example");
    let page = post_form(addr, "/apply/backend-engineer?lang=pt", &bad);
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("<html lang=\"pt\""),
        "{}",
        &page.body[..300]
    );
    assert!(page.body.contains("Engenheiro(a) de Backend, Dispatch"));
    assert!(
        page.body.contains("value=\"ada-at-example\""),
        "the answer is kept"
    );
    // With JavaScript: JSON, in German.
    let json = send(
        addr,
        "POST",
        "/apply/backend-engineer?lang=de",
        &[
            ("Content-Type", &common::form::content_type()),
            ("Accept", "application/json"),
        ],
        &bad.encode(),
    );
    assert_eq!(json.status, 422);
    let body: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(
        body["errors"]["email"],
        "Geben Sie eine E-Mail-Adresse wie name@example.com ein."
    );
    // Sent right, the confirmation is German; a language the role is not
    // translated into, or none, is answered in English.
    let ok = post_form(
        addr,
        "/apply/backend-engineer?lang=de",
        &common::form::Form::languages_fixture(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("<html lang=\"de\""));
    assert!(ok.body.contains("Bewerbung eingegangen"));
    let ok = post_form(
        addr,
        "/apply/grid-analyst?lang=de",
        &common::form::Form::languages_fixture(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("<html lang=\"en\""), "{}", &ok.body[..300]);
    let unknown = post_form(addr, "/apply/backend-engineer?lang=xx", &bad);
    assert!(unknown.body.contains("<html lang=\"en\""));

    let exported = site.applications(&["export", "--format", "json"]).success();
    let all: serde_json::Value = serde_json::from_str(&exported.stdout).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2, "{all:?}");
    // The stored answer of a translated option is the original's.
    let german = all
        .iter()
        .find(|a| {
            a["posting"]["slug"] == "backend-engineer" || a["posting_slug"] == "backend-engineer"
        })
        .expect("the German application");
    assert_eq!(german["answers"]["q_notice"], "One month", "{german}");
    assert_eq!(german["language"], "de", "{german}");
    let english = all
        .iter()
        .find(|a| a != &german)
        .expect("the application to the untranslated role");
    assert_eq!(english["language"], "en", "{english}");
}

/// The no-JavaScript German round trip in Chromium: a mistake answered with
/// the German page and every answer kept, then the German confirmation.
#[test]
fn a_german_candidate_applies_without_javascript_in_chromium() {
    use common::server::Server;
    let site = TestSite::fixture("valid/languages");
    let server = Server::production(&site, &[]);
    let bad = site.path("not-a-resume.pdf");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR not a resume").unwrap();
    let url = format!("{}de/jobs/backend-engineer/", server.url);
    let resume = common::repo().join("tests/fixtures/files/resume.pdf");
    // Over the fixture's 10 MB limit, under the hard ceiling.
    let pdf = common::form::resume_pdf();
    let over = site.path("over-limit.pdf");
    let at = pdf.len() - 6;
    std::fs::write(
        &over,
        [&pdf[..at], &vec![b' '; 11 << 20][..], &pdf[at..]].concat(),
    )
    .unwrap();
    let out = common::node(
        "tests/tools/languages_browser.mjs",
        &[
            url.as_ref(),
            resume.as_os_str(),
            bad.as_os_str(),
            over.as_os_str(),
        ],
        std::time::Duration::from_secs(150),
    );
    assert!(
        out.status.success(),
        "languages_browser.mjs ({}):\n{}\n{}\nserver log:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        server.log()
    );
    let exported = site.applications(&["export", "--format", "json"]).success();
    let all: serde_json::Value = serde_json::from_str(&exported.stdout).unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
    assert_eq!(all[0]["answers"]["q_notice"], "One month");
    assert_eq!(all[0]["language"], "de");
    let list = site.applications(&["list"]).success();
    assert!(list.stdout.contains(" de "), "{}", list.stdout);
}

/// `serve` rebuilds the pages a translation changes: an edit shows on the
/// German page only; a new translation gets its page and becomes an
/// alternate of the original; a removed one takes its page away again.
#[test]
fn serve_rebuilds_the_pages_a_translation_changes() {
    use common::server::Server;
    let site = TestSite::fixture("valid/languages");
    let server = Server::start(site.root(), &[]);
    let german = "/de/jobs/backend-engineer/";
    assert!(
        server
            .get(german)
            .body
            .contains("Backend-Entwickler*in, Dispatch")
    );

    let path = "content/jobs/backend-engineer.de.md";
    let text = site.read(path);
    site.write(
        path,
        &text.replace(
            "Backend-Entwickler*in, Dispatch",
            "Backend-Entwickler*in, Einsatzplanung",
        ),
    );
    server.wait_until(german, "the edited German title", |r| {
        r.body
            .contains("<h1>Backend-Entwickler*in, Einsatzplanung</h1>")
    });
    server.wait_until("/de/", "the edited title on the German listing", |r| {
        r.body
            .contains(">Backend-Entwickler*in, Einsatzplanung</a>")
    });
    assert!(
        server
            .get("/jobs/backend-engineer/")
            .body
            .contains("<h1>Backend Engineer, Dispatch</h1>")
    );

    assert_eq!(server.get("/de/jobs/grid-analyst/").status, 404);
    site.write(
        "content/jobs/grid-analyst.de.md",
        "---\ntitle: Netzdaten-Analyst*in\n---\n\nDu arbeitest mit unserem Betriebsteam in Lissabon.\n",
    );
    server.wait_until(
        "/de/jobs/grid-analyst/",
        "the new translation's page",
        |r| r.status == 200 && r.body.contains("<h1>Netzdaten-Analyst*in</h1>"),
    );
    server.wait_until(
        "/jobs/grid-analyst/",
        "the new alternate on the original",
        |r| {
            r.body.contains(
                "hreflang=\"de\" href=\"https://careers.kestrel.example/de/jobs/grid-analyst/\"",
            )
        },
    );
    server.wait_until("/de/", "the translated title on the German listing", |r| {
        r.body
            .contains("<a href=\"/de/jobs/grid-analyst/\">Netzdaten-Analyst*in</a>")
    });

    site.remove("content/jobs/grid-analyst.de.md");
    server.wait_until(
        "/de/jobs/grid-analyst/",
        "the removed translation's page gone",
        |r| r.status == 404,
    );
    server.wait_until(
        "/de/",
        "the original title back on the German listing",
        |r| {
            r.body
                .contains("hreflang=\"en\" lang=\"en\">Grid Data Analyst</a>")
        },
    );
}

#[test]
fn a_draft_translation_waits_and_the_original_is_shown_meanwhile() {
    let site = TestSite::fixture("valid/languages");
    let path = "content/jobs/backend-engineer.pt.md";
    let text = site.read(path);
    site.write(path, &text.replacen("---\n", "---\ndraft: true\n", 1));
    site.build();
    assert!(!site.exists("public/pt/jobs/backend-engineer/index.html"));
    assert!(site
        .page("pt/")
        .contains("<a href=\"/jobs/backend-engineer/\" hreflang=\"en\" lang=\"en\">Backend Engineer, Dispatch</a>"));
    assert!(
        !site
            .page("jobs/backend-engineer/")
            .contains("hreflang=\"pt\"")
    );
    site.build_with(&["--drafts"]).success();
    assert!(site.exists("public/pt/jobs/backend-engineer/index.html"));
}

/// After a quiet spell longer than the servers' longest timeout (60 s), the
/// German pages are still served and a German application is stored.
#[test]
fn after_a_long_idle_the_german_pages_and_form_still_work() {
    use common::server::{Server, post_form};
    let site = TestSite::fixture("valid/languages");
    let server = Server::production(&site, &[]);
    assert_eq!(server.get("/de/").status, 200);
    std::thread::sleep(std::time::Duration::from_secs(65));
    let page = server.get("/de/jobs/backend-engineer/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"de\">"));
    let form = common::form::Form::languages_fixture();
    let ok = post_form(server.addr, "/apply/backend-engineer?lang=de", &form);
    assert_eq!(ok.status, 200, "{}", ok.body);
    let exported = site.applications(&["export", "--format", "json"]).success();
    let all: serde_json::Value = serde_json::from_str(&exported.stdout).unwrap();
    assert_eq!(all[0]["language"], "de", "{all}");
}

/// Under a shifted clock the German page of a role closes at midnight of its
/// last day in the site's time zone (Europe/Berlin), as the English one does,
/// and the German form is answered with the German "closed" message.
#[test]
fn the_german_page_closes_at_midnight_like_the_original() {
    use common::server::{Server, post_form, send};
    let site = TestSite::fixture("valid/languages");
    let data = site.path("data");
    // valid_through = 2027-02-28: its last day ends at 23:00 UTC in Berlin.
    let server = Server::start_at(
        site.root(),
        "2027-02-28 22:59:52",
        &["--production", "--data", data.to_str().unwrap()],
    );
    let german = "/de/jobs/backend-engineer/";
    assert!(
        server
            .get(german)
            .body
            .contains("action=\"/apply/backend-engineer?lang=de\"")
    );
    server.wait_until(german, "the German page closed after midnight", |r| {
        r.body.contains("data-closed")
            && r.body
                .contains("Für diese Stelle werden keine Bewerbungen mehr angenommen")
    });
    assert!(
        server
            .get("/jobs/backend-engineer/")
            .body
            .contains("data-closed")
    );
    assert!(
        !server
            .get("/de/")
            .body
            .contains("/de/jobs/backend-engineer/")
    );
    let form = common::form::Form::languages_fixture();
    let closed = post_form(server.addr, "/apply/backend-engineer?lang=de", &form);
    assert_eq!(closed.status, 410, "{}", closed.body);
    assert!(closed.body.contains("<html lang=\"de\""));
    let json = send(
        server.addr,
        "POST",
        "/apply/backend-engineer?lang=de",
        &[
            ("Content-Type", &common::form::content_type()),
            ("Accept", "application/json"),
        ],
        &form.encode(),
    );
    assert_eq!(json.status, 410);
    assert!(
        json.body
            .contains("Für diese Stelle werden keine Bewerbungen mehr angenommen."),
        "{}",
        json.body
    );
}
