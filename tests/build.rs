//! `openings build` on real fixture sites: what it writes, under which URLs, and
//! what it leaves out.

mod common;
use common::{TestSite, files_under};

/// Every `href`, `src` and `action` value in an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    out
}

#[test]
fn example_site_builds_every_page() {
    let site = TestSite::example();
    site.build();
    let index = site.page("");
    assert!(
        index.contains("Senior Backend Engineer"),
        "index lists an open role"
    );
    for page in [
        "404.html",
        "benefits/index.html",
        "hiring-process/index.html",
        "jobs/platform-engineer/index.html",
    ] {
        assert!(site.exists(&format!("public/{page}")), "{page} missing");
    }
    assert!(
        !site.exists("public/jobs/frontend-engineer-member-portal/index.html"),
        "a draft was published"
    );
}

#[test]
fn role_page_has_facts_body_and_application_form() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let html = site.page("jobs/backend-engineer/");
    for text in [
        "Backend Engineer",
        "Platform",
        "Berlin, Germany",
        "Austin, Texas",
        "Hybrid",
        "senior",
        "€90,000 – €120,000 per year",
        "2026-11-02",
    ] {
        assert!(html.contains(text), "role page lacks {text:?}");
    }
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("action=\"/careers/apply/backend-engineer\""));
    for name in [
        "name",
        "email",
        "phone",
        "resume",
        "cover_letter",
        "links",
        "consent",
        "q_rust_years",
        "q_start",
        "q_langs",
        "q_visa",
        "q_portfolio",
        "q_why",
        "q_agree_trial",
    ] {
        assert!(
            html.contains(&format!("name=\"{name}\"")),
            "form lacks a control named {name}"
        );
    }
    assert!(html.contains("type=\"number\""));
    assert!(html.contains("<select"));
    assert!(html.contains("type=\"radio\""));
    assert!(html.contains("accept=\""));
    assert!(
        html.contains("Testco keeps your application for 90 days."),
        "consent text from site.toml"
    );
    // Every control that is not hidden has a label pointing at it.
    let mut rest = html.as_str();
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let id = &rest[..rest.find('"').unwrap()];
        let tag_start = html.find(&format!("id=\"{id}\"")).unwrap();
        let tag = &html[html[..tag_start].rfind('<').unwrap()..tag_start];
        if tag.starts_with("<input") || tag.starts_with("<select") || tag.starts_with("<textarea") {
            assert!(
                html.contains(&format!("for=\"{id}\"")),
                "control #{id} has no <label for>"
            );
        }
    }
}

#[test]
fn markdown_extensions_raw_html_and_stable_heading_ids() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let html = site.page("jobs/backend-engineer/");
    assert!(html.contains("<h2 id=\"what-you-will-do\">"));
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>negotiable</del>"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("footnote"));
    assert!(html.contains("<aside class=\"note\">Raw HTML is kept.</aside>"));
    assert!(html.contains("<code>{{ name }}</code>"));
}

#[test]
fn yaml_and_toml_front_matter_give_the_same_site() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let html = site.page("jobs/support-specialist/");
    for text in [
        "Support Specialist",
        "Customer Support",
        "Austin, Texas",
        "$24.50 – $30.00 per hour",
        "name=\"q_shift\"",
    ] {
        assert!(html.contains(text), "YAML posting lacks {text:?}");
    }
}

#[test]
fn closed_posting_keeps_its_page_but_leaves_every_listing() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let page = site.page("jobs/old-role/");
    assert!(page.contains("data-closed"));
    assert!(page.contains("no longer accepting applications"));
    assert!(
        !page.contains("<form"),
        "a closed posting must not offer the form"
    );
    let index = site.page("");
    assert!(
        !index.contains("Data Analyst"),
        "closed role listed on the index"
    );
    assert!(
        !site
            .page("departments/engineering/")
            .contains("Data Analyst")
    );
    assert!(!site.page("locations/berlin/").contains("Data Analyst"));
    // 4 open: backend, support, designer, intern (closed and draft not counted).
    assert!(index.contains("4 open roles"), "index count");
}

#[test]
fn same_posting_is_open_before_its_valid_through() {
    let site = TestSite::fixture("valid/basic");
    site.run(&["build", "--today", "2026-10-01"]).success();
    assert!(site.page("").contains("Data Analyst"));
    assert!(!site.page("jobs/old-role/").contains("data-closed"));
}

/// A posting merged ahead of its opening day.
fn with_scheduled_posting() -> TestSite {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "content/jobs/night-shift-lead.md",
        "+++\ntitle = \"Night Shift Lead\"\ndepartment = \"Operations\"\nlocations = [\"berlin\"]\n\
         date = 2026-11-20\npublish_from = 2026-11-30\n+++\n\nYou lead the night shift.\n",
    );
    site
}

#[test]
fn a_scheduled_posting_appears_on_its_day_by_itself() {
    let site = with_scheduled_posting();
    site.run(&["build", "--today", "2026-11-29"]).success();
    assert!(!site.exists("public/jobs/night-shift-lead/index.html"));
    for file in ["", "sitemap.xml", "feed.xml", "jobs.json"] {
        assert!(
            !site.page(file).contains("night-shift-lead"),
            "{file} before its day"
        );
    }
    site.run(&["build", "--today", "2026-11-30"]).success();
    let page = site.page("jobs/night-shift-lead/");
    assert!(
        page.contains("\"datePosted\":\"2026-11-30\""),
        "posted on its day"
    );
    for file in ["", "sitemap.xml", "feed.xml", "jobs.json"] {
        assert!(
            site.page(file).contains("night-shift-lead"),
            "{file} on its day"
        );
    }
    // A preview with --drafts shows it ahead of time.
    site.run(&["build", "--today", "2026-11-29", "--drafts"])
        .success();
    assert!(site.exists("public/jobs/night-shift-lead/index.html"));
}

#[test]
fn a_posting_that_would_close_before_it_opens_is_an_error() {
    let site = with_scheduled_posting();
    let text = site.read("content/jobs/night-shift-lead.md");
    site.write(
        "content/jobs/night-shift-lead.md",
        &text.replace(
            "publish_from = 2026-11-30",
            "publish_from = 2026-11-30\nvalid_through = 2026-11-25",
        ),
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("night-shift-lead.md:6")
        .stderr_has("`publish_from` (2026-11-30) is after `valid_through` (2026-11-25)");
}

#[test]
fn the_day_is_today_in_the_site_time_zone() {
    let site = TestSite::fixture("valid/basic");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("timezone = \"Mars/Olympus\"\n{config}"),
    );
    site.run(&["build"])
        .failure(1)
        .stderr_has("site.toml:1")
        .stderr_has("`Mars/Olympus` is not a time zone")
        .stderr_has("Europe/Berlin");
    // Without --today, a posting that closed yesterday (in the site's zone) is closed.
    site.write(
        "site.toml",
        &format!("timezone = \"Pacific/Kiritimati\"\n{config}"),
    );
    let kiritimati = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Pacific/Kiritimati").unwrap())
        .date();
    let text = site.read("content/jobs/backend-engineer.md");
    site.write(
        "content/jobs/backend-engineer.md",
        &text
            .replace("date = 2026-11-02", "date = 2020-01-01")
            .replace(
                "valid_through = 2027-01-31",
                &format!("valid_through = {}", kiritimati.yesterday().unwrap()),
            ),
    );
    site.run(&["build"]).success();
    assert!(site.page("jobs/backend-engineer/").contains("data-closed"));
}

#[test]
fn drafts_appear_only_with_the_drafts_flag() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    assert!(!site.exists("public/jobs/secret-role/index.html"));
    assert!(!site.page("").contains("Chief Secret Officer"));
    site.build_with(&["--drafts"]).success();
    assert!(
        site.page("jobs/secret-role/")
            .contains("Chief Secret Officer")
    );
    assert!(site.page("").contains("Chief Secret Officer"));
}

#[test]
fn apply_url_posting_links_out_instead_of_a_form() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let html = site.page("jobs/partner-intern/");
    assert!(html.contains("href=\"https://partner.example/apply/testco-intern\""));
    assert!(!html.contains("<form"));
}

#[test]
fn department_location_and_plain_pages_are_written() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let dept = site.page("departments/engineering/");
    assert!(dept.contains("Backend Engineer"));
    assert!(!dept.contains("Support Specialist"));
    let loc = site.page("locations/austin/");
    assert!(loc.contains("Support Specialist") && loc.contains("Backend Engineer"));
    assert!(site.page("benefits/").contains("Thirty days a year"));
    assert!(site.exists("public/404.html"));
    // Slug from front matter wins over the file name.
    assert!(site.exists("public/jobs/designer/index.html"));
}

#[test]
fn every_link_and_asset_lives_under_the_base_path() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let files = files_under(&site.path("public"));
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        for link in links(&String::from_utf8_lossy(bytes)) {
            if link.starts_with("https://") || link.starts_with('#') || link.starts_with("mailto:")
            {
                continue;
            }
            if link.starts_with('/') {
                assert!(
                    link.starts_with("/careers/"),
                    "{path}: {link} escapes the base path"
                );
                let target = link
                    .trim_start_matches("/careers/")
                    .split(['#', '?'])
                    .next()
                    .unwrap()
                    .to_string();
                if !target.starts_with("apply/") {
                    let file = if target.is_empty() || target.ends_with('/') {
                        format!("{target}index.html")
                    } else {
                        target
                    };
                    assert!(
                        files.contains_key(&file),
                        "{path}: {link} points at nothing ({file})"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = TestSite::fixture("valid/basic");
    site.build_with(&["--base-url", "https://preview.example/pr-7"])
        .success();
    let html = site.page("jobs/backend-engineer/");
    assert!(
        html.contains("action=\"/pr-7/apply/backend-engineer\""),
        "form action under the new base path"
    );
    assert!(
        !html.contains("/careers/"),
        "old base path left in the page"
    );
}

#[test]
fn css_and_js_are_fingerprinted_and_referenced() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let files = files_under(&site.path("public"));
    let css = files
        .keys()
        .find(|k| k.starts_with("style.") && k.ends_with(".css"))
        .expect("fingerprinted stylesheet");
    assert_ne!(css, "style.css");
    assert!(site.page("").contains(&format!("href=\"/careers/{css}\"")));
    assert!(
        files.contains_key("logo.svg"),
        "site static files are copied"
    );
}

#[test]
fn titles_and_front_matter_text_are_escaped_but_body_html_is_kept() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "content/jobs/hostile.md",
        "+++\ntitle = \"</script><b>\\\"Red Team\\\" & Co\"\ndepartment = \"Sec<u>urity\"\ndate = 2026-11-02\nsummary = \"<img src=x onerror=alert(1)>\"\n+++\n\n<p class=\"kept\">body html</p>\n",
    );
    site.build();
    let html = site.page("jobs/hostile/");
    assert!(!html.contains("</script><b>"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("Sec<u>urity"));
    assert!(html.contains("&lt;/script&gt;&lt;b&gt;"));
    assert!(html.contains("<p class=\"kept\">body html</p>"));
    assert!(!site.page("").contains("<img src=x"));
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = TestSite::example();
    site.build_with(&["--output", "one"]).success();
    site.build_with(&["--output", "two"]).success();
    // The fingerprint of the last build holds the files' modification times.
    let site_files = |dir: &str| {
        let mut files = files_under(&site.path(dir));
        files.remove(".openings-build");
        files
    };
    let (one, two) = (site_files("one"), site_files("two"));
    assert!(one.len() > 20);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between builds");
    }
}

#[test]
fn files_of_removed_postings_are_removed_and_unchanged_files_not_rewritten() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    assert!(site.exists("public/jobs/support-specialist/index.html"));
    site.remove("content/jobs/support-specialist.md");
    let run = site.build_with(&[]).success();
    assert!(
        !site.exists("public/jobs/support-specialist"),
        "stale page and folder left behind"
    );
    assert!(run.stderr.contains("removed"), "{}", run.stderr);
    let again = site.build_with(&[]).success();
    assert!(
        again.stderr.contains("(0 files written"),
        "{}",
        again.stderr
    );
}

#[test]
fn refuses_to_fill_a_folder_it_did_not_create() {
    let site = TestSite::fixture("valid/basic");
    site.write("public/precious.txt", "mine");
    site.build_with(&[])
        .failure(1)
        .stderr_has("not empty and was not written by openings");
    assert_eq!(site.read("public/precious.txt"), "mine");
    site.build_with(&["--output", "."])
        .failure(1)
        .stderr_has("contains the site itself");
    site.write("dist", "a file");
    site.build_with(&["--output", "dist"])
        .failure(1)
        .stderr_has("dist is a file, not a folder");
    assert_eq!(site.read("dist"), "a file");
}

/// A refused output folder is reported with the content's own errors, so the
/// next build is not the first to show them.
#[test]
fn a_refused_folder_comes_with_the_contents_errors() {
    let site = TestSite::fixture("valid/basic");
    site.write("public/precious.txt", "mine");
    site.write(
        "content/jobs/broken.md",
        "+++\ntitle = \"Broken\"\ndepartment = \"Engineering\"\n+++\n\nNo date.\n",
    );
    let run = site
        .build_with(&[])
        .failure(1)
        .stderr_has("not empty and was not written by openings")
        .stderr_has("content/jobs/broken.md");
    assert!(run.stderr.contains("missing"), "{}", run.stderr);
    assert_eq!(site.read("public/precious.txt"), "mine");
}

#[test]
fn a_file_of_an_earlier_build_gives_way_to_a_folder_and_back() {
    let site = TestSite::fixture("valid/basic");
    site.write("static/team", "a plain file");
    site.build();
    assert_eq!(site.read("public/team"), "a plain file");
    // Now `team` is a page: public/team/index.html.
    site.remove("static/team");
    site.write(
        "content/team.md",
        "+++\ntitle = \"Team\"\n+++\n\nWho we are.\n",
    );
    site.build();
    assert!(site.read("public/team/index.html").contains("Who we are."));
    // And a file again.
    site.remove("content/team.md");
    site.write("static/team", "a plain file");
    site.build();
    assert_eq!(site.read("public/team"), "a plain file");
}

#[test]
fn site_templates_override_the_theme() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Custom lost page</p>{% endblock %}\n",
    );
    site.build();
    let page = site.read("public/404.html");
    assert!(page.contains("Custom lost page"));
    assert!(
        page.contains("Careers at Testco"),
        "the override still extends the theme's base"
    );
}

#[test]
fn a_named_theme_in_the_site_is_used() {
    let site = TestSite::fixture("valid/basic");
    site.write(
        "site.toml",
        &site
            .read("site.toml")
            .replace("language = \"en\"", "language = \"en\"\ntheme = \"plain\""),
    );
    site.write(
        "themes/plain/templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><p>plain theme</p>\n",
    );
    site.build();
    assert!(site.page("benefits/").contains("plain theme"));
    // Templates the theme lacks come from the default theme.
    assert!(site.page("").contains("Backend Engineer"));
    site.write(
        "site.toml",
        &site
            .read("site.toml")
            .replace("theme = \"plain\"", "theme = \"nosuch\""),
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("theme `nosuch` not found")
        .stderr_has("site.toml:4:9");
}

/// Changes the fixture's `language = "FROM"` in site.toml to `TO`.
fn set_language(site: &TestSite, from: &str, to: &str) {
    let toml = site.read("site.toml");
    let (old, new) = (
        format!("language = \"{from}\""),
        format!("language = \"{to}\""),
    );
    assert!(toml.contains(&old), "{toml}");
    site.write("site.toml", &toml.replace(&old, &new));
}

#[test]
fn a_site_can_translate_the_theme_strings() {
    let site = TestSite::fixture("valid/basic");
    set_language(&site, "en", "de");
    site.write(
        "i18n/de.toml",
        "apply_now = \"Jetzt bewerben\"\nworkplace_hybrid = \"Hybrid (2 Tage Büro)\"\n",
    );
    site.build();
    let html = site.page("jobs/backend-engineer/");
    assert!(html.contains("lang=\"de\""));
    assert!(html.contains("Jetzt bewerben"));
    assert!(html.contains("Hybrid (2 Tage Büro)"));
    // Dates and money as German writes them (CLDR through ICU4X), with no
    // strings of the site's for either.
    assert!(html.contains("2. November 2026"), "{html}");
    assert!(html.contains("31. Januar 2027"), "{html}");
    assert!(html.contains("90.000\u{a0}€ – 120.000\u{a0}€"), "{html}");
}

/// The theme's German is used for `de-AT` (its base language), and a site's own
/// `en.toml` changes English without hiding the theme's German.
#[test]
fn the_theme_ships_its_languages_and_a_sites_english_does_not_hide_them() {
    let site = TestSite::fixture("valid/basic");
    set_language(&site, "en", "de-AT");
    site.write("i18n/en.toml", "apply_now = \"Apply today\"\n");
    site.build();
    let html = site.page("jobs/backend-engineer/");
    assert!(html.contains("lang=\"de-AT\""), "{html}");
    assert!(html.contains("Jetzt bewerben"), "{html}");
    assert!(!html.contains("Apply today"), "{html}");
}

/// Counted strings take the form the language's plural rules pick (CLDR, from
/// ICU4X): Polish has one form for 1, another for 2-4 and a third for 5 and up,
/// and the listing's script gets every form.
#[test]
fn counts_follow_the_languages_plural_rules() {
    let site = TestSite::fixture("valid/basic");
    set_language(&site, "en", "pl");
    site.write(
        "i18n/pl.toml",
        "n_open_roles_one = \"{n} otwarta oferta\"\n\
         n_open_roles_few = \"{n} otwarte oferty\"\n\
         n_open_roles_many = \"{n} otwartych ofert\"\n\
         n_open_roles = \"{n} otwartej oferty\"\n\
         n_roles_one = \"{n} oferta\"\n\
         n_roles_few = \"{n} oferty\"\n\
         n_roles_many = \"{n} ofert\"\n\
         n_roles = \"{n} oferty\"\n",
    );
    site.build();
    let index = site.page("index.html");
    let open = cards(&index).len();
    let expected = match open {
        1 => format!("{open} otwarta oferta"),
        2..=4 => format!("{open} otwarte oferty"),
        _ => format!("{open} otwartych ofert"),
    };
    assert!(index.contains(&expected), "{open} roles: {index}");
    assert!(
        index.contains(r#"data-count='{"few": "{n} oferty", "many": "{n} ofert", "one": "{n} oferta", "other": "{n} oferty"}'"#),
        "{index}"
    );
    // The same strings in English pick "1 role" / "N roles" as before.
    set_language(&site, "pl", "en");
    site.build();
    let index = site.page("index.html");
    assert!(index.contains(&format!("{open} open roles")), "{index}");
}

/// The listing's role cards, by title: the text of each `<li class="job-card" ...>...</li>`.
fn cards(html: &str) -> Vec<String> {
    html.split("<li class=\"job-card\"")
        .skip(1)
        .map(|card| card[..card.find("</li>").unwrap()].to_string())
        .collect()
}

fn card<'a>(cards: &'a [String], title: &str) -> &'a str {
    cards
        .iter()
        .find(|c| c.contains(&format!(">{title}</a>")))
        .unwrap_or_else(|| panic!("no card for {title}"))
}

#[test]
fn listings_say_how_long_ago_each_role_was_posted_and_mark_new_ones() {
    let site = TestSite::example();
    site.build();
    let index = site.page("");
    let all = cards(&index);
    // Counted to --today 2026-11-23, with the absolute date for machines.
    for (title, date, ago) in [
        (
            "People Operations Intern (6 months)",
            "2026-11-20",
            "Posted 3 days ago",
        ),
        (
            "Field Metering Technician",
            "2026-11-16",
            "Posted 1 week ago",
        ),
        (
            "Senior Data Engineer, Grid Balancing",
            "2026-11-09",
            "Posted 2 weeks ago",
        ),
        (
            "Senior Backend Engineer, Metering Platform",
            "2026-11-02",
            "Posted 3 weeks ago",
        ),
        ("Platform Engineer", "2026-10-19", "Posted 1 month ago"),
    ] {
        let c = card(&all, title);
        assert!(
            c.contains(&format!("<time datetime=\"{date}\""))
                && c.contains(&format!(">{ago}</time>")),
            "{title}: {c}"
        );
        assert!(
            c.contains(&format!("data-posted=\"{date}\"")),
            "{title}: {c}"
        );
    }
    // New: posted fewer than 14 days ago (the default of [listing] new_days).
    let new: Vec<&String> = all.iter().filter(|c| c.contains("badge--new")).collect();
    assert_eq!(new.len(), 3, "{new:#?}");
    assert!(
        card(&all, "Energy Markets Analyst")
            .contains("<span class=\"badge badge--new\">New</span>")
    );
    assert!(!card(&all, "Senior Data Engineer, Grid Balancing").contains("badge--new"));
    let department = site.page("departments/people/");
    assert!(department.contains("Posted 3 days ago") && department.contains("badge--new"));

    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}\n[listing]\nnew_days = 5\n"));
    site.build();
    let index = site.page("");
    assert_eq!(index.matches("badge--new").count(), 1);
    site.write("site.toml", &format!("{config}\n[listing]\nnew_days = 0\n"));
    site.build();
    assert!(!site.page("").contains("badge--new"));
    // Another day, other words.
    site.run(&["build", "--today", "2026-11-21"]).success();
    assert!(site.page("").contains(">Posted yesterday</time>"));
}

#[test]
fn listing_settings_are_checked_like_every_other_key() {
    let site = TestSite::example();
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}\n[listing]\nnew_dayz = 7\n"));
    site.build_with(&[])
        .failure(1)
        .stderr_has("unknown key `new_dayz` in [listing]")
        .stderr_has("did you mean `new_days`?");
    site.write(
        "site.toml",
        &format!("{config}\n[listing]\nnew_days = -1\n"),
    );
    site.build_with(&[])
        .failure(1)
        .stderr_has("`new_days` must be a number of days from 0");
    site.write(
        "site.toml",
        &format!("{config}\n[listing]\nnew_days = \"2w\"\n"),
    );
    site.build_with(&[]).failure(1).stderr_has("new_days");
    site.write("site.toml", &format!("{config}\n[listin]\nnew_days = 7\n"));
    site.build_with(&[])
        .failure(1)
        .stderr_has("did you mean `listing`?");
}

#[test]
fn every_page_links_an_icon_and_the_site_has_a_favicon_at_its_base_path() {
    let theme_icon =
        std::fs::read(common::repo().join("themes/default/static/favicon.ico")).unwrap();
    // A square SVG logo is the icon; favicon.ico is the theme's.
    let site = TestSite::fixture("valid/basic");
    site.build();
    for page in ["", "jobs/backend-engineer/", "404.html"] {
        assert!(
            site.page(page)
                .contains("<link rel=\"icon\" href=\"/careers/logo.svg\" type=\"image/svg+xml\">"),
            "{page}"
        );
    }
    assert_eq!(
        std::fs::read(site.path("public/favicon.ico")).unwrap(),
        theme_icon
    );
    // A wide logo would be a sliver in a tab: favicon.ico is linked instead.
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 40\"><title>Testco</title><rect width=\"200\" height=\"40\"/></svg>",
    );
    site.build();
    let index = site.page("");
    assert!(
        index.contains("<link rel=\"icon\" href=\"/careers/favicon.ico\" type=\"image/x-icon\">"),
        "{index}"
    );
    assert!(
        index.contains("width=\"200\" height=\"40\""),
        "the logo keeps its place while it loads"
    );
    // The example site brings its own favicon.ico, which replaces the theme's.
    let example = TestSite::example();
    example.build();
    assert!(
        example
            .page("")
            .contains("<link rel=\"icon\" href=\"/favicon.ico\" type=\"image/x-icon\">")
    );
    let own = std::fs::read(example.path("public/favicon.ico")).unwrap();
    assert_eq!(
        own,
        std::fs::read(common::repo().join("static/favicon.ico")).unwrap()
    );
    assert_ne!(own, theme_icon);
}

#[test]
fn footnotes_are_a_numbered_list_at_the_end_with_links_back() {
    let site = TestSite::example();
    site.build();
    let html = site.page("jobs/platform-engineer/");
    assert!(
        !html.contains("footnote-definition"),
        "pulldown-cmark's loose definitions are gone"
    );
    assert!(html.contains(
        "listed on this page.<sup class=\"footnote-ref\"><a href=\"#fn-employment\" id=\"fnref-employment\" role=\"doc-noteref\">1</a></sup>"
    ));
    assert!(
        html.contains("<a href=\"#fn-hosting\" id=\"fnref-hosting\" role=\"doc-noteref\">2</a>")
    );
    let notes = &html[html
        .find("<div class=\"footnotes\" role=\"doc-endnotes\">")
        .expect("a list of notes")..];
    let notes = &notes[..notes.find("</ol>").unwrap()];
    let employment = notes.find("<li id=\"fn-employment\">").expect("note 1");
    let hosting = notes.find("<li id=\"fn-hosting\">").expect("note 2");
    assert!(employment < hosting);
    assert!(notes.contains("as everyone else. <a href=\"#fnref-employment\" class=\"footnote-back\" role=\"doc-backlink\">"));
    assert!(notes.contains("<a href=\"#fnref-hosting\" class=\"footnote-back\""));
}

#[test]
fn listing_filters_sit_behind_a_button_that_works_without_javascript() {
    let site = TestSite::example();
    site.build();
    let index = site.page("");
    let panel = &index[index
        .find("<details class=\"filter-panel\"")
        .expect("a <details> panel")..];
    let panel = &panel[..panel.find("</details>").unwrap()];
    assert!(panel.contains("<summary class=\"filter-panel__toggle\"><span>Filters</span>"));
    // Both the plain links (no JavaScript) and the form (filter.js) are in it.
    assert!(
        panel.contains("<nav class=\"browse\"")
            && panel.contains("href=\"/departments/engineering/\"")
    );
    assert!(panel.contains("data-filter-form hidden"));
    assert!(panel.contains("<select class=\"input\" id=\"filter-sort\" name=\"sort\">"));
    assert!(panel.contains("<option value=\"newest\">Newest first</option>"));
    // The status line says what is shown from the start; a separate live region speaks.
    assert!(index.contains("aria-hidden=\"true\" data-filter-status>Showing all 8 roles</p>"));
    assert!(index.contains("<p class=\"vh\" role=\"status\" data-filter-announce></p>"));
}

#[test]
fn the_resume_field_is_a_plain_file_input_that_dropzone_js_enhances() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let html = site.page("jobs/backend-engineer/");
    assert!(html.contains(
        "<input class=\"input input--file\" id=\"f-resume\" name=\"resume\" type=\"file\" required"
    ));
    assert!(html.contains("data-dropzone"));
    assert!(html.contains("data-prompt=\"Drag your file here, or {choose}\""));
    assert!(html.contains("data-remove=\"Remove\""));
    let dropzone = html
        .find("/careers/dropzone.")
        .expect("dropzone.js is loaded");
    let apply = html.find("/careers/apply.").expect("apply.js is loaded");
    assert!(
        dropzone < apply,
        "the drop zone is made before apply.js looks at the form"
    );
}

/// The form is rendered once per set of questions, each role with its own
/// action; a site's own `apply_form.html` that reads more of the role is
/// rendered for each role, as it asks.
#[test]
fn the_application_form_is_shared_by_question_set_and_overrides_still_see_their_role() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    for slug in ["backend-engineer", "support-specialist"] {
        let page = site.page(&format!("jobs/{slug}/"));
        assert!(
            page.contains(&format!("action=\"/careers/apply/{slug}\"")),
            "{slug}: {}",
            &page[page.find("<form").unwrap_or(0)..][..200]
        );
        assert!(!page.contains("openingsformendpointmarker"), "{slug}");
    }
    site.write(
        "templates/apply_form.html",
        "<form action=\"{{ job.apply_endpoint }}\"><p>Apply for {{ job.title }}</p></form>\n",
    );
    site.build();
    let page = site.page("jobs/backend-engineer/");
    assert!(
        page.contains("<p>Apply for Backend Engineer</p>"),
        "the override sees the role"
    );
    let page = site.page("jobs/support-specialist/");
    assert!(page.contains("action=\"/careers/apply/support-specialist\""));
    assert!(!page.contains("Apply for Backend Engineer"));
}

/// The feeds are streamed into their files as they are made. A rebuild
/// replaces the ones whose bytes changed and leaves the others untouched
/// (their modification time stays), with nothing left in a staging folder.
#[test]
fn a_rebuild_replaces_changed_feeds_and_leaves_the_same_ones_untouched() {
    let site = TestSite::fixture("valid/basic");
    site.build();
    let modified = |rel: &str| {
        std::fs::metadata(site.path(rel))
            .and_then(|m| m.modified())
            .unwrap()
    };
    let feeds = ["feed.xml", "jobs.json", "jobs.xml"];
    let kept = ["sitemap.xml", "robots.txt"];
    let before: Vec<_> = feeds
        .iter()
        .chain(&kept)
        .map(|f| modified(&format!("public/{f}")))
        .collect();
    for f in feeds {
        assert!(
            !site.read(&format!("public/{f}")).contains("Quarterly"),
            "{f}"
        );
    }
    // Later than the first build's times on any file system's clock.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let posting = site.read("content/jobs/backend-engineer.md");
    site.write(
        "content/jobs/backend-engineer.md",
        &format!("{posting}\nQuarterly offsites in Lisbon.\n"),
    );
    site.build_with(&[]).success();
    for (i, f) in feeds.iter().chain(&kept).enumerate() {
        let rel = format!("public/{f}");
        let replaced = i < feeds.len();
        assert_eq!(modified(&rel) != before[i], replaced, "{f}");
        if replaced {
            assert!(
                site.read(&rel).contains("Quarterly offsites in Lisbon."),
                "{f}"
            );
        }
    }
    let json: serde_json::Value = serde_json::from_str(&site.read("public/jobs.json")).unwrap();
    assert!(json["jobs"].as_array().is_some_and(|j| !j.is_empty()));
    let left: Vec<_> = std::fs::read_dir(site.path("public"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
