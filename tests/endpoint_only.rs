//! `openings serve --production --endpoint-only`: the form on a static host.
//! The pages are published elsewhere (`base_url`), the form posts to this
//! instance on another origin (`[apply] endpoint` absolute, the static site in
//! `allowed_origins`); it answers the endpoint and `/healthz`, and sends every
//! other request to the same path on the static site.

mod common;
use common::TestSite;
use common::form::{Form, content_type};
use common::server::{Server, request, send};

const STATIC: &str = "https://jobs.testco.example";

fn split_site() -> TestSite {
    let site = TestSite::fixture("valid/basic");
    let config = site.read("site.toml").replace(
        "[apply]\n",
        "[apply]\nrate_limit = 0\nendpoint = \"https://apply.testco.example/apply/{slug}\"\nallowed_origins = [\"https://jobs.testco.example\"]\n",
    );
    site.write("site.toml", &config);
    site
}

#[test]
fn endpoint_only_answers_applications_and_health_and_sends_pages_to_the_static_site() {
    let site = split_site();
    // The static copy's form posts to the other origin.
    site.build();
    assert!(
        site.page("jobs/backend-engineer/")
            .contains("action=\"https://apply.testco.example/apply/backend-engineer\"")
    );
    let data = site.path("data");
    let data_arg = data.to_string_lossy().into_owned();
    let server = Server::start(
        site.root(),
        &["--production", "--endpoint-only", "--data", &data_arg],
    );
    assert_eq!(request(server.addr, "GET", "/healthz").status, 200);
    for path in [
        "/careers/",
        "/careers/jobs/backend-engineer/",
        "/careers/style.css",
        "/",
    ] {
        let page = request(server.addr, "GET", path);
        assert!(
            matches!(page.status, 301 | 302 | 308),
            "{path}: {}",
            page.status
        );
        assert_eq!(
            page.header("location"),
            Some(format!("{STATIC}{path}").as_str())
        );
    }

    let content_type = content_type();
    let headers = [("Content-Type", content_type.as_str()), ("Origin", STATIC)];
    let answer = send(
        server.addr,
        "POST",
        "/apply/backend-engineer",
        &headers,
        &Form::valid().encode(),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("access-control-allow-origin"), Some(STATIC));
    let other = [
        ("Content-Type", content_type.as_str()),
        ("Origin", "https://evil.example"),
    ];
    let refused = send(
        server.addr,
        "POST",
        "/apply/backend-engineer",
        &other,
        &Form::valid().encode(),
    );
    assert_eq!(refused.status, 403);

    let list = site
        .run(&[
            "applications",
            "list",
            "--data",
            &data_arg,
            "--format",
            "json",
        ])
        .success();
    let list: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
}

#[test]
fn endpoint_only_needs_production() {
    TestSite::fixture("valid/basic")
        .run(&["serve", "--endpoint-only"])
        .failure(2)
        .stderr_has("--production");
}

/// The whole cross-origin path in Chromium, with and without JavaScript: the
/// role page comes from one origin (here `serve --production` standing in
/// for the static host), the form posts to `--endpoint-only` on another, and
/// every step of `tests/tools/apply_browser.mjs` (errors in place, keyboard
/// only, errors as pages with every answer kept, sizes near and over the
/// limit, the confirmation) passes there as it does on one origin.
#[test]
fn the_form_on_a_static_host_works_in_chromium_with_and_without_javascript() {
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let (pages, endpoint) = (free(), free());
    let site = TestSite::fixture("valid/basic");
    let config = site
        .read("site.toml")
        .replace(
            "base_url = \"https://jobs.testco.example/careers/\"",
            &format!("base_url = \"http://127.0.0.1:{pages}/careers/\""),
        )
        .replace(
            "[apply]\n",
            &format!(
                "[apply]\nrate_limit = 0\nendpoint = \"http://127.0.0.1:{endpoint}/careers/apply/{{slug}}\"\n\
                 allowed_origins = [\"http://127.0.0.1:{pages}\"]\n"
            ),
        );
    site.write("site.toml", &config);
    let _pages = Server::production_on(site.root(), &site.path("pages-data"), pages, &[]);
    let _endpoint = Server::production_on(
        site.root(),
        &site.path("data"),
        endpoint,
        &["--endpoint-only"],
    );
    let url = format!("http://127.0.0.1:{pages}/careers/jobs/backend-engineer/");
    let out = common::apply_browser(&site, &url);
    assert!(
        out.status.success(),
        "browser run failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // Both applications are in the endpoint's store, none in the pages' server.
    let listed = site.applications(&["list", "--format", "json"]).success();
    let mut emails: Vec<String> = serde_json::from_str::<serde_json::Value>(&listed.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["answers"]["email"].as_str().unwrap().to_string())
        .collect();
    emails.sort();
    assert_eq!(
        emails,
        ["grace.keyboard@example.com", "grace.nojs@example.com"]
    );
}
