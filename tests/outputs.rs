//! What search engines, job boards and feed readers get from a build: JobPosting
//! JSON-LD on role pages, canonical and social-card tags, feed.xml, jobs.json,
//! jobs.xml, sitemap.xml and robots.txt. Every test parses what the real binary
//! wrote, with serde_json, roxmltree and (for the Atom feed) Python's feedparser.

mod common;
use common::{TestSite, files_under, repo};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE: &str = "https://jobs.testco.example/careers/";

// ---- helpers ---------------------------------------------------------------

/// The text of every `<script type="application/ld+json">` element of a page.
fn json_ld_blocks(html: &str) -> Vec<String> {
    let open = "<script type=\"application/ld+json\">";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        rest = &rest[i + open.len()..];
        let end = rest.find("</script>").expect("script element closed");
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The one JobPosting of a role page.
fn job_posting(site: &TestSite, slug: &str) -> Value {
    let blocks = json_ld_blocks(&site.page(&format!("jobs/{slug}/")));
    assert_eq!(blocks.len(), 1, "{slug}: expected one JSON-LD block");
    serde_json::from_str(&blocks[0]).unwrap_or_else(|e| panic!("{slug}: bad JSON-LD: {e}"))
}

/// The `content` of `<meta property|name="KEY" content="...">` or the `href` of
/// `<link rel="KEY" href="...">`.
fn head_value(html: &str, attr: &str, key: &str, value_attr: &str) -> Option<String> {
    let needle = format!("{attr}=\"{key}\"");
    let at = html.find(&needle)?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let v = tag.find(&format!("{value_attr}=\""))? + value_attr.len() + 2;
    Some(unescape(&tag[v..v + tag[v..].find('"')?]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Text between `<h1>` and `</h1>`, without tags.
fn h1(html: &str) -> String {
    let start = html.find("<h1>").expect("page has an h1") + 4;
    let end = start + html[start..].find("</h1>").unwrap();
    unescape(&html[start..end])
}

fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.tag_name().name() == name)
        .and_then(|c| c.text())
}

/// Runs Python's feedparser (installed by scripts/test.sh) on a feed file.
fn feedparser(feed: &Path) -> Value {
    let python: PathBuf = repo().join("target/test-tools/python/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run `bash scripts/test.sh`, which installs feedparser into it \
         (this test is never skipped)",
        python.display()
    );
    let out = Command::new(&python)
        .arg(repo().join("tests/tools/feedcheck.py"))
        .arg(feed)
        .output()
        .expect("run feedcheck.py");
    assert!(
        out.status.success(),
        "feedcheck.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("feedcheck.py prints JSON")
}

const EMPLOYMENT_TYPES: &[&str] = &[
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
];
const UNITS: &[&str] = &["HOUR", "DAY", "WEEK", "MONTH", "YEAR"];

fn is_absolute_url(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.starts_with("https://") || s.starts_with("http://"))
}

fn one_or_many(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Every rule of Google's JobPosting documentation (required and recommended
/// properties, value formats) and that each value is visible on the page.
/// Returns the problems found.
fn google_problems(j: &Value, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fail = |m: String| problems.push(m);
    let context = j["@context"].as_str().unwrap_or_default();
    if !context.trim_end_matches('/').ends_with("schema.org") {
        fail(format!("@context is {context:?}"));
    }
    if j["@type"] != "JobPosting" {
        fail("@type is not JobPosting".into());
    }
    // title: the plain job title, as the page's h1 shows it.
    match j["title"].as_str() {
        Some(t) if !t.is_empty() && !t.contains('<') => {
            if t != h1(html) {
                fail(format!("title {t:?} is not the page's h1 {:?}", h1(html)));
            }
        }
        other => fail(format!("title is {other:?}")),
    }
    // description: the full description in HTML, shown on the page.
    match j["description"].as_str() {
        Some(d) if d.contains("<p>") => {
            if !html.contains(d.trim()) {
                fail("description is not the page's body".into());
            }
        }
        other => fail(format!("description is not HTML: {other:?}")),
    }
    // datePosted: ISO 8601, the date the page shows.
    let posted = j["datePosted"].as_str().unwrap_or_default();
    if posted.len() != 10 || !html.contains(&format!("datetime=\"{posted}\"")) {
        fail(format!(
            "datePosted {posted:?} is not a date shown on the page"
        ));
    }
    if j.get("validThrough").is_none() {
        fail("no validThrough (recommended)".into());
    }
    if let Some(end) = j.get("validThrough") {
        let end = end.as_str().unwrap_or_default();
        let day = &end[..end.len().min(10)];
        if day < posted || !html.contains(&format!("datetime=\"{day}\"")) {
            fail(format!(
                "validThrough {end:?} is not a date shown on the page"
            ));
        }
    }
    // hiringOrganization: name, sameAs and logo as absolute URLs.
    let org = &j["hiringOrganization"];
    if org["@type"] != "Organization" || org["name"].as_str().is_none_or(str::is_empty) {
        fail(format!("hiringOrganization is {org}"));
    }
    if !one_or_many(&org["sameAs"])
        .iter()
        .all(|u| is_absolute_url(u))
    {
        fail(format!("hiringOrganization.sameAs is {}", org["sameAs"]));
    }
    if !is_absolute_url(&org["logo"]) {
        fail(format!("hiringOrganization.logo is {}", org["logo"]));
    }
    // jobLocation, or a fully remote role with the countries it can be done from.
    let telecommute = j.get("jobLocationType").is_some();
    let remote_on_page = html.contains("<dd>Remote</dd>");
    if telecommute {
        if j["jobLocationType"] != "TELECOMMUTE" {
            fail(format!("jobLocationType is {}", j["jobLocationType"]));
        }
        if !remote_on_page {
            fail("TELECOMMUTE on a role the page does not call remote".into());
        }
        let countries = one_or_many(&j["applicantLocationRequirements"]);
        if countries.is_empty() || j["applicantLocationRequirements"].is_null() {
            fail("TELECOMMUTE without applicantLocationRequirements".into());
        }
        for c in countries {
            let name = c["name"].as_str().unwrap_or_default();
            if c["@type"] != "Country" || name.is_empty() || !html.contains(name) {
                fail(format!("applicantLocationRequirements entry {c}"));
            }
        }
    } else if j.get("jobLocation").is_none() {
        fail("no jobLocation and not TELECOMMUTE".into());
    }
    if let Some(places) = j.get("jobLocation") {
        for place in one_or_many(places) {
            let a = &place["address"];
            if place["@type"] != "Place" || a["@type"] != "PostalAddress" {
                fail(format!("jobLocation {place}"));
            }
            let country = a["addressCountry"].as_str().unwrap_or_default();
            if country.len() != 2 || country.to_uppercase() != country {
                fail(format!("addressCountry {country:?} is not an ISO code"));
            }
            // Google warns about each missing part of the address.
            for part in [
                "streetAddress",
                "addressLocality",
                "addressRegion",
                "postalCode",
            ] {
                match a[part].as_str() {
                    Some(v) if html.contains(&unescape_for_html(v)) => {}
                    Some(v) => fail(format!("{part} {v:?} is not shown on the page")),
                    None => fail(format!("address lacks {part}")),
                }
            }
        }
    }
    // employmentType (recommended): one of Google's values.
    match j.get("employmentType") {
        Some(t) => {
            for t in one_or_many(t) {
                if !EMPLOYMENT_TYPES.contains(&t.as_str().unwrap_or_default()) {
                    fail(format!("employmentType {t}"));
                }
            }
        }
        None => fail("no employmentType (recommended)".into()),
    }
    // baseSalary (recommended): MonetaryAmount with a QuantitativeValue and unit.
    match j.get("baseSalary") {
        Some(s) => {
            let v = &s["value"];
            let currency = s["currency"].as_str().unwrap_or_default();
            if s["@type"] != "MonetaryAmount" || currency.len() != 3 {
                fail(format!("baseSalary {s}"));
            }
            if v["@type"] != "QuantitativeValue"
                || !UNITS.contains(&v["unitText"].as_str().unwrap_or_default())
            {
                fail(format!("baseSalary.value {v}"));
            }
            let range = (v["minValue"].as_f64(), v["maxValue"].as_f64());
            match (v["value"].as_f64(), range) {
                (Some(_), (None, None)) => {}
                (None, (Some(min), Some(max))) if min <= max => {}
                _ => fail(format!("baseSalary.value amounts {v}")),
            }
            if !html.contains("class=\"facts__salary\"") {
                fail("baseSalary but no salary on the page".into());
            }
        }
        None => fail("no baseSalary (recommended)".into()),
    }
    let id = &j["identifier"];
    if id["@type"] != "PropertyValue" || !id["name"].is_string() || !id["value"].is_string() {
        fail(format!("identifier {id}"));
    }
    let has_form = html.contains("class=\"apply-form\"");
    if j["directApply"] != Value::Bool(has_form) {
        fail(format!(
            "directApply is {} but the page {} the form",
            j["directApply"],
            if has_form { "has" } else { "lacks" }
        ));
    }
    if head_value(html, "rel", "canonical", "href").as_deref() != j["url"].as_str() {
        fail(format!("url {} is not the canonical URL", j["url"]));
    }
    problems
}

/// How a value appears in the page's HTML (escaped).
fn unescape_for_html(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---- JSON-LD ------------------------------------------------------------------

#[test]
fn every_open_role_of_the_example_site_meets_googles_job_posting_rules() {
    let site = TestSite::example();
    site.build();
    let files = files_under(&site.path("public"));
    let mut open = 0;
    let mut closed = 0;
    let mut all_problems = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let blocks = json_ld_blocks(&html);
        if !(path.starts_with("jobs/") && path.ends_with("/index.html")) {
            assert!(
                blocks.is_empty(),
                "{path}: JSON-LD on a page that is no role"
            );
            continue;
        }
        if html.contains("data-closed") {
            assert!(blocks.is_empty(), "{path}: JSON-LD on a closed role");
            closed += 1;
            continue;
        }
        assert_eq!(blocks.len(), 1, "{path}: one JobPosting per open role");
        let j: Value = serde_json::from_str(&blocks[0]).expect("JSON-LD parses");
        for problem in google_problems(&j, &html) {
            all_problems.push(format!("{path}: {problem}"));
        }
        open += 1;
    }
    assert!(all_problems.is_empty(), "{}", all_problems.join("\n"));
    assert_eq!((open, closed), (8, 1), "open and closed role pages checked");
}

#[test]
fn remote_role_is_telecommute_and_hybrid_role_lists_its_offices() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let remote = job_posting(&site, "designer");
    assert_eq!(remote["jobLocationType"], "TELECOMMUTE");
    let countries: Vec<&str> = remote["applicantLocationRequirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["@type"], "Country");
            c["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(countries, ["Germany", "France", "Netherlands"]);
    assert!(remote.get("jobLocation").is_none(), "no office to name");
    assert_eq!(remote["employmentType"], "CONTRACTOR");

    let hybrid = job_posting(&site, "backend-engineer");
    assert!(
        hybrid.get("jobLocationType").is_none(),
        "hybrid is never TELECOMMUTE"
    );
    assert!(hybrid.get("applicantLocationRequirements").is_none());
    let places = hybrid["jobLocation"].as_array().expect("two offices");
    assert_eq!(places.len(), 2);
    assert_eq!(places[0]["@type"], "Place");
    assert_eq!(places[0]["address"]["@type"], "PostalAddress");
    assert_eq!(places[0]["address"]["addressCountry"], "DE");
    assert_eq!(places[0]["address"]["streetAddress"], "Teststraße 1");
    assert_eq!(places[0]["address"]["postalCode"], "10115");
    assert_eq!(places[1]["address"]["addressLocality"], "Austin");
    assert_eq!(places[1]["address"]["addressRegion"], "TX");
    assert_eq!(places[1]["address"]["addressCountry"], "US");
    assert_eq!(hybrid["employmentType"], "FULL_TIME");
    assert_eq!(hybrid["validThrough"], "2027-01-31T23:59:59");
    assert_eq!(hybrid["datePosted"], "2026-11-02");

    let onsite = job_posting(&site, "support-specialist");
    assert!(onsite["jobLocation"].is_object(), "one office: an object");
    assert!(onsite.get("jobLocationType").is_none());
}

#[test]
fn remote_role_with_an_office_keeps_its_job_location() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "content/jobs/remote-berlin.md",
        "+++\ntitle = \"Support Engineer\"\ndepartment = \"Support\"\ndate = 2026-11-02\nworkplace = \"remote\"\nlocations = [\"berlin\"]\nremote_countries = [\"DE\"]\n+++\n\nHelp.\n",
    );
    site.build();
    let j = job_posting(&site, "remote-berlin");
    assert_eq!(j["jobLocationType"], "TELECOMMUTE");
    assert_eq!(j["applicantLocationRequirements"]["name"], "Germany");
    assert_eq!(j["jobLocation"]["address"]["addressLocality"], "Berlin");
}

#[test]
fn salary_is_a_monetary_amount_with_its_unit_and_direct_apply_follows_the_form() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let hourly = job_posting(&site, "support-specialist");
    let salary = &hourly["baseSalary"];
    assert_eq!(salary["@type"], "MonetaryAmount");
    assert_eq!(salary["currency"], "USD");
    assert_eq!(salary["value"]["@type"], "QuantitativeValue");
    assert_eq!(salary["value"]["minValue"], 24.5);
    assert_eq!(salary["value"]["maxValue"], 30);
    assert_eq!(salary["value"]["unitText"], "HOUR");
    assert_eq!(hourly["employmentType"], "PART_TIME");
    assert_eq!(
        hourly["directApply"], true,
        "the page has the embedded form"
    );

    let yearly = job_posting(&site, "backend-engineer");
    assert_eq!(yearly["baseSalary"]["value"]["unitText"], "YEAR");
    assert_eq!(yearly["baseSalary"]["value"]["minValue"], 90000);

    let external = job_posting(&site, "partner-intern");
    assert_eq!(
        external["directApply"], false,
        "apply_url is not a direct application"
    );
    assert_eq!(external["employmentType"], "INTERN");
    assert!(external.get("baseSalary").is_none());

    site.write(
        "content/jobs/fixed.md",
        "+++\ntitle = \"Tutor\"\ndepartment = \"Teaching\"\ndate = 2026-11-02\nlocations = [\"berlin\"]\n[salary]\nmin = 2450\nmax = 2450\ncurrency = \"EUR\"\nper = \"month\"\n+++\n\nTeach.\n",
    );
    site.build();
    let fixed = job_posting(&site, "fixed");
    assert_eq!(fixed["baseSalary"]["value"]["value"], 2450);
    assert_eq!(fixed["baseSalary"]["value"]["unitText"], "MONTH");
    assert!(fixed["baseSalary"]["value"].get("minValue").is_none());
}

#[test]
fn hiring_organization_has_absolute_logo_and_same_as() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let org = &job_posting(&site, "backend-engineer")["hiringOrganization"];
    assert_eq!(org["@type"], "Organization");
    assert_eq!(org["name"], "Testco");
    assert_eq!(org["logo"], format!("{BASE}logo.svg"));
    assert_eq!(
        org["sameAs"],
        serde_json::json!(["https://testco.example", "https://github.example/testco"])
    );
}

#[test]
fn hostile_title_cannot_break_the_script_element_or_the_feeds() {
    let site = TestSite::fixture("valid/basic");
    let title = "</script><b>\"Red Team\" & Co";
    site.write(
        "content/jobs/hostile.md",
        "+++\ntitle = \"</script><b>\\\"Red Team\\\" & Co\"\ndepartment = \"Security\"\ndate = 2026-11-22\nlocations = [\"berlin\"]\nsummary = \"<!-- & ]]> -->\"\n+++\n\nBody with `</script>`.\n",
    );
    site.build();
    let html = site.page("jobs/hostile/");
    let blocks = json_ld_blocks(&html);
    assert_eq!(blocks.len(), 1);
    let script = &blocks[0];
    assert!(!script.contains('<') && !script.contains('>'), "{script}");
    let j: Value = serde_json::from_str(script).unwrap();
    assert_eq!(j["title"], title);
    assert!(
        j["description"]
            .as_str()
            .unwrap()
            .contains("<code>&lt;/script&gt;</code>")
    );
    // Every script element is closed where the theme closes it (the JSON-LD
    // one and apply.js's), none by the title.
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script").count()
    );

    let feed = site.read("public/feed.xml");
    let doc = xml(&feed);
    let entry = doc
        .descendants()
        .find(|n| n.tag_name().name() == "entry")
        .expect("newest entry first");
    assert_eq!(child_text(entry, "title"), Some(title));
    assert_eq!(child_text(entry, "summary"), Some("<!-- & ]]> -->"));

    let jobs_xml = site.read("public/jobs.xml");
    let doc = xml(&jobs_xml);
    let job = doc
        .descendants()
        .find(|n| n.tag_name().name() == "job")
        .unwrap();
    let title_text: String = job
        .children()
        .find(|c| c.tag_name().name() == "title")
        .unwrap()
        .children()
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(title_text, title);
    let summary: String = job
        .children()
        .find(|c| c.tag_name().name() == "summary")
        .unwrap()
        .children()
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        summary, "<!-- & ]]> -->",
        "a CDATA end in the text is split safely"
    );

    let jobs: Value = serde_json::from_str(&site.read("public/jobs.json")).unwrap();
    assert_eq!(jobs["jobs"][0]["title"], title);
}

// ---- closed postings and drafts --------------------------------------------------

#[test]
fn closed_posting_and_drafts_leave_every_feed_sitemap_and_json_ld() {
    let site = TestSite::fixture("valid/basic");
    site.build_with(&["--drafts"]).success();
    assert!(
        site.page("jobs/old-role/").contains("data-closed"),
        "the page stays"
    );
    assert!(json_ld_blocks(&site.page("jobs/old-role/")).is_empty());
    assert!(
        json_ld_blocks(&site.page("jobs/secret-role/")).is_empty(),
        "no JSON-LD on a draft, even in a --drafts preview"
    );
    for file in ["feed.xml", "jobs.json", "jobs.xml", "sitemap.xml"] {
        let text = site.read(&format!("public/{file}"));
        for gone in [
            "old-role",
            "Data Analyst",
            "secret-role",
            "Chief Secret Officer",
        ] {
            assert!(!text.contains(gone), "{file} lists {gone}");
        }
        assert!(text.contains("backend-engineer"), "{file} lists open roles");
    }
    // The same posting before it closed is in all of them.
    site.run(&["build", "--today", "2026-10-01"]).success();
    for file in ["feed.xml", "jobs.json", "jobs.xml", "sitemap.xml"] {
        assert!(
            site.read(&format!("public/{file}")).contains("old-role"),
            "{file}"
        );
    }
    assert_eq!(json_ld_blocks(&site.page("jobs/old-role/")).len(), 1);
}

// ---- base path ---------------------------------------------------------------------

/// Every absolute URL in a text (up to a quote, `<`, whitespace or `]`).
fn urls_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        rest = &rest[i..];
        if !(rest.starts_with("https://") || rest.starts_with("http://")) {
            rest = &rest[4..];
            continue;
        }
        let end = rest
            .find(|c: char| c == '"' || c == '<' || c == '\'' || c == ']' || c.is_whitespace())
            .unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_url_in_feeds_and_structured_data_is_under_the_base_path() {
    let site = TestSite::fixture("valid/basic");
    let base = "https://preview.example/pr-7/";
    site.build_with(&["--base-url", base]).success();
    let files = files_under(&site.path("public"));
    let external = [
        "https://testco.example",
        "https://github.example/testco",
        "https://partner.example/",
        "http://www.w3.org/2005/Atom",
        "http://www.sitemaps.org/schemas/sitemap/0.9",
        "https://schema.org/",
    ];
    let mut checked = 0;
    for name in [
        "feed.xml",
        "jobs.json",
        "jobs.xml",
        "sitemap.xml",
        "robots.txt",
        "index.html",
        "jobs/backend-engineer/index.html",
        "jobs/designer/index.html",
        "benefits/index.html",
    ] {
        let text = String::from_utf8_lossy(&files[name]).into_owned();
        let text = if name.ends_with(".html") {
            // Only the head: the body's own links are checked elsewhere.
            text[..text.find("</head>").unwrap()].to_string()
        } else {
            text
        };
        for url in urls_in(&text) {
            if external.iter().any(|e| url.starts_with(e)) {
                continue;
            }
            assert!(url.starts_with(base), "{name}: {url} is not under {base}");
            let rel = url[base.len()..].split('#').next().unwrap();
            let file = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            };
            assert!(files.contains_key(&file), "{name}: {url} points at nothing");
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} URLs checked");
    assert!(
        !files
            .values()
            .any(|b| String::from_utf8_lossy(b).contains(BASE))
    );
}

// ---- canonical, Open Graph, Twitter --------------------------------------------------

#[test]
fn every_page_has_canonical_open_graph_and_twitter_tags() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let files = files_under(&site.path("public"));
    let mut pages = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains(
                "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/careers/feed.xml\""
            ),
            "{path}: no link to the feed"
        );
        if path == "404.html" {
            assert!(
                !html.contains("rel=\"canonical\""),
                "404 has no canonical URL"
            );
            continue;
        }
        let url = format!("{BASE}{}", path.trim_end_matches("index.html"));
        assert_eq!(
            head_value(&html, "rel", "canonical", "href"),
            Some(url.clone()),
            "{path}"
        );
        assert_eq!(
            head_value(&html, "property", "og:url", "content"),
            Some(url)
        );
        assert_eq!(
            head_value(&html, "property", "og:image", "content"),
            Some(format!("{BASE}logo.svg")),
            "{path}"
        );
        for key in ["og:title", "og:type", "og:site_name", "og:description"] {
            assert!(
                head_value(&html, "property", key, "content").is_some_and(|v| !v.is_empty()),
                "{path}: no {key}"
            );
        }
        for key in ["twitter:card", "twitter:title", "twitter:image"] {
            assert!(
                head_value(&html, "name", key, "content").is_some(),
                "{path}: no {key}"
            );
        }
        pages += 1;
    }
    assert!(pages >= 10);
    let job = site.page("jobs/backend-engineer/");
    assert_eq!(
        head_value(&job, "property", "og:title", "content").as_deref(),
        Some("Backend Engineer")
    );
    assert_eq!(
        head_value(&job, "property", "og:description", "content").as_deref(),
        Some("Build the services behind Testco.")
    );
    assert_eq!(
        head_value(&job, "name", "twitter:card", "content").as_deref(),
        Some("summary")
    );
}

#[test]
fn a_configured_social_image_makes_a_large_card() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "site.toml",
        &site.read("site.toml").replace(
            "language = \"en\"",
            "language = \"en\"\nsocial_image = \"https://cdn.example/card.png\"",
        ),
    );
    site.build();
    let html = site.page("");
    assert_eq!(
        head_value(&html, "property", "og:image", "content").as_deref(),
        Some("https://cdn.example/card.png")
    );
    assert_eq!(
        head_value(&html, "name", "twitter:card", "content").as_deref(),
        Some("summary_large_image")
    );
}

// ---- Atom --------------------------------------------------------------------------

#[test]
fn atom_feed_parses_in_feedparser_without_bozo() {
    for site in [TestSite::example(), TestSite::fixture("valid/basic")] {
        site.build();
        let parsed = feedparser(&site.path("public/feed.xml"));
        assert_eq!(parsed["bozo"], false, "{}", parsed["bozo_exception"]);
        assert_eq!(parsed["version"], "atom10");
    }
    let site = TestSite::fixture("valid/basic");
    site.build();
    let parsed = feedparser(&site.path("public/feed.xml"));
    assert_eq!(parsed["feed"]["title"], "Careers at Testco: open roles");
    assert_eq!(parsed["feed"]["link"], BASE);
    assert_eq!(parsed["feed"]["id"], format!("{BASE}feed.xml"));
    assert_eq!(parsed["feed"]["updated"], "2026-11-10T00:00:00Z");
    let entries = parsed["entries"].as_array().unwrap();
    let links: Vec<&str> = entries
        .iter()
        .map(|e| e["link"].as_str().unwrap())
        .collect();
    // Open roles only, newest first.
    assert_eq!(
        links,
        [
            format!("{BASE}jobs/designer/"),
            format!("{BASE}jobs/backend-engineer/"),
            format!("{BASE}jobs/partner-intern/"),
            format!("{BASE}jobs/support-specialist/"),
        ]
    );
    let backend = &entries[1];
    assert_eq!(backend["title"], "Backend Engineer");
    assert_eq!(backend["published"], "2026-11-02T00:00:00Z");
    assert_eq!(backend["summary"], "Build the services behind Testco.");
    assert_eq!(backend["tags"][0]["label"], "Engineering");
    let content = &backend["content"][0];
    assert_eq!(content["type"], "text/html");
    assert!(
        content["value"]
            .as_str()
            .unwrap()
            .contains("<h2 id=\"what-you-will-do\">")
    );
}

#[test]
fn relative_links_in_feed_entries_resolve_against_the_role_page() {
    let site = TestSite::example();
    site.build();
    let parsed = feedparser(&site.path("public/feed.xml"));
    let entry = parsed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["id"]
                .as_str()
                .unwrap()
                .ends_with("/jobs/senior-backend-engineer/")
        })
        .expect("entry");
    let html = entry["content"][0]["value"].as_str().unwrap();
    assert!(
        html.contains("href=\"https://careers.fernwood.example/hiring-process/\""),
        "../../hiring-process/ resolved against the role page: {html}"
    );
}

// ---- jobs.json ---------------------------------------------------------------------

#[test]
fn jobs_json_carries_every_fact_of_the_open_roles() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let feed: Value = serde_json::from_str(&site.read("public/jobs.json")).unwrap();
    assert_eq!(feed["version"], 1);
    assert_eq!(feed["home_page_url"], BASE);
    assert_eq!(feed["feed_url"], format!("{BASE}jobs.json"));
    assert_eq!(feed["company"]["name"], "Testco");
    assert_eq!(feed["company"]["logo"], format!("{BASE}logo.svg"));
    let jobs = feed["jobs"].as_array().unwrap();
    let ids: Vec<&str> = jobs.iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "designer",
            "backend-engineer",
            "partner-intern",
            "support-specialist"
        ]
    );
    let backend = &jobs[1];
    assert_eq!(backend["url"], format!("{BASE}jobs/backend-engineer/"));
    assert_eq!(backend["title"], "Backend Engineer");
    assert_eq!(backend["department"]["name"], "Engineering");
    assert_eq!(
        backend["department"]["url"],
        format!("{BASE}departments/engineering/")
    );
    assert_eq!(backend["team"], "Platform");
    assert_eq!(backend["seniority"], "senior");
    assert_eq!(backend["employment_type"], "full-time");
    assert_eq!(backend["workplace"], "hybrid");
    assert_eq!(backend["locations"][0]["key"], "berlin");
    assert_eq!(backend["locations"][0]["city"], "Berlin");
    assert_eq!(backend["locations"][0]["country"], "DE");
    assert_eq!(
        backend["locations"][0]["url"],
        format!("{BASE}locations/berlin/")
    );
    assert_eq!(backend["locations"][1]["region"], "TX");
    assert_eq!(backend["date_posted"], "2026-11-02");
    assert_eq!(backend["updated"], "2026-11-02");
    assert_eq!(backend["valid_through"], "2027-01-31");
    assert_eq!(backend["salary"]["min"], 90000);
    assert_eq!(backend["salary"]["max"], 120000);
    assert_eq!(backend["salary"]["currency"], "EUR");
    assert_eq!(backend["salary"]["per"], "year");
    assert_eq!(backend["salary"]["display"], "€90,000 – €120,000 per year");
    assert_eq!(backend["apply"]["method"], "form");
    assert_eq!(
        backend["apply"]["url"],
        format!("{BASE}jobs/backend-engineer/#apply")
    );
    assert_eq!(backend["tags"], serde_json::json!(["rust", "postgres"]));
    assert_eq!(backend["summary"], "Build the services behind Testco.");
    assert!(
        backend["description_html"]
            .as_str()
            .unwrap()
            .contains("<h2 id=")
    );
    let text = backend["description_text"].as_str().unwrap();
    assert!(
        text.contains("What you will do") && !text.contains('<'),
        "{text}"
    );
    let designer = &jobs[0];
    assert_eq!(
        designer["remote_countries"],
        serde_json::json!(["DE", "FR", "NL"])
    );
    assert_eq!(designer["salary"], Value::Null);
    let intern = &jobs[2];
    assert_eq!(intern["apply"]["method"], "external");
    assert_eq!(
        intern["apply"]["url"],
        "https://partner.example/apply/testco-intern"
    );
    // Internal notes for themes are not published.
    assert!(backend.get("extra").is_none());
}

// ---- jobs.xml ------------------------------------------------------------------------

#[test]
fn jobs_xml_is_an_indeed_style_feed_with_one_job_per_location() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let text = site.read("public/jobs.xml");
    let doc = xml(&text);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "source");
    assert_eq!(child_text(root, "publisher"), Some("Testco"));
    let jobs: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "job")
        .collect();
    let refs: Vec<&str> = jobs
        .iter()
        .map(|j| child_text(*j, "referencenumber").unwrap())
        .collect();
    assert_eq!(
        refs,
        [
            "designer",
            "backend-engineer-berlin",
            "backend-engineer-austin",
            "partner-intern",
            "support-specialist",
        ]
    );
    let unique: BTreeSet<&&str> = refs.iter().collect();
    assert_eq!(unique.len(), refs.len(), "reference numbers are unique");
    let austin = jobs[2];
    for (name, want) in [
        ("title", "Backend Engineer"),
        ("date", "2026-11-02T00:00:00Z"),
        ("requisitionid", "backend-engineer"),
        ("url", &format!("{BASE}jobs/backend-engineer/")),
        ("company", "Testco"),
        ("city", "Austin"),
        ("state", "TX"),
        ("country", "US"),
        ("salary", "€90,000 – €120,000 per year"),
        ("jobtype", "fulltime"),
        ("category", "Engineering"),
        ("expirationdate", "2027-01-31"),
        ("remotetype", "Hybrid remote"),
    ] {
        assert_eq!(child_text(austin, name), Some(want), "<{name}>");
    }
    assert_eq!(child_text(jobs[1], "postalcode"), Some("10115"));
    assert!(child_text(austin, "description").unwrap().contains("<h2"));
    assert_eq!(child_text(jobs[0], "remotetype"), Some("Fully remote"));
    assert_eq!(child_text(jobs[4], "remotetype"), None, "on-site");
    assert!(text.contains("<title><![CDATA[Backend Engineer]]></title>"));
}

// ---- sitemap and robots -------------------------------------------------------------------

#[test]
fn sitemap_lists_open_roles_and_listings_with_lastmod() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "content/jobs/backend-engineer.md",
        &site.read("content/jobs/backend-engineer.md").replace(
            "date = 2026-11-02",
            "date = 2026-11-02\nupdated = 2026-11-15",
        ),
    );
    site.build();
    let text = site.read("public/sitemap.xml");
    let doc = xml(&text);
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let entries: Vec<(String, Option<String>)> = doc
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "url")
        .map(|u| {
            (
                child_text(u, "loc").unwrap().to_string(),
                child_text(u, "lastmod").map(str::to_string),
            )
        })
        .collect();
    let lastmod = |path: &str| {
        entries
            .iter()
            .find(|(loc, _)| *loc == format!("{BASE}{path}"))
            .unwrap_or_else(|| panic!("{path} not in the sitemap"))
            .1
            .clone()
    };
    assert_eq!(lastmod("").as_deref(), Some("2026-11-15"));
    assert_eq!(
        lastmod("jobs/backend-engineer/").as_deref(),
        Some("2026-11-15"),
        "from updated"
    );
    assert_eq!(
        lastmod("jobs/designer/").as_deref(),
        Some("2026-11-10"),
        "from date"
    );
    assert_eq!(
        lastmod("departments/engineering/").as_deref(),
        Some("2026-11-15")
    );
    assert_eq!(lastmod("locations/austin/").as_deref(), Some("2026-11-15"));
    let locs: Vec<&str> = entries.iter().map(|(l, _)| l.as_str()).collect();
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("old-role") || l.contains("404"))
    );
    assert!(
        locs.contains(&format!("{BASE}benefits/").as_str()),
        "plain pages"
    );
    assert_eq!(
        site.read("public/robots.txt"),
        format!("# Written by openings.\nUser-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn a_robots_txt_in_static_wins_over_the_generated_one() {
    let site = TestSite::fixture("valid/basic");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn the_feed_is_linked_from_the_footer_and_the_empty_listing() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    assert!(
        site.page("")
            .contains("<a href=\"/careers/feed.xml\" type=\"application/atom+xml\">")
    );
    for file in [
        "old-role",
        "secret-role",
        "backend-engineer",
        "partner-intern",
        "support-specialist",
        "remote-designer",
    ] {
        site.remove(&format!("content/jobs/{file}.md"));
    }
    site.build();
    let index = site.page("");
    assert!(index.contains("No open roles right now"));
    assert!(index.contains("Follow our job feed"));
    let parsed = feedparser(&site.path("public/feed.xml"));
    assert_eq!(parsed["bozo"], false, "an empty feed is still valid");
    assert_eq!(parsed["entries"], serde_json::json!([]));
}
