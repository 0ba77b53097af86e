//! What a request asks for: a page under the base path, a redirect, the reload
//! stream, the application endpoint, the health check, or nothing. Pure: decided
//! from the method and the request target; refuses paths that try to leave the
//! site (`..`, encoded or not).

use super::endpoint::Pattern;
use super::reload;

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the site, by site-relative output path (`jobs/x/index.html`).
    Output(String),
    Redirect(String),
    NotFound,
    /// Malformed, or trying to leave the site (`..`, encoded or not).
    Refused,
    NotAllowed,
    /// The application endpoint of the posting with this slug.
    Endpoint(String),
    Events,
    Script,
    /// The dev server's mail page.
    Mail,
    /// `GET /healthz` in production: the probe of load balancers and systemd.
    Health,
}

/// Where probes ask whether the server is well, outside any base path.
pub const HEALTH_PATH: &str = "/healthz";

/// Decides what a request is. `exists` tells whether an output path exists.
pub fn route(
    method: &str,
    url: &str,
    base_path: &str,
    dev: bool,
    exists: &dyn Fn(&str) -> bool,
    endpoint: Option<&Pattern>,
) -> Route {
    // Browsers percent-encode targets; raw non-ASCII or control bytes are not a
    // URL, and could never go into a `Location` header.
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Route::Refused;
    }
    let (raw_path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let reading = matches!(method, "GET" | "HEAD");
    if reading && let Some(route) = server_path(raw_path, dev) {
        return route;
    }
    let Some(path) = decode_path(raw_path) else {
        return Route::Refused;
    };
    if matches!(method, "POST" | "OPTIONS") {
        return match endpoint.and_then(|e| e.slug(&path)) {
            Some(slug) => Route::Endpoint(slug.to_string()),
            None => Route::NotAllowed,
        };
    }
    if !reading {
        return Route::NotAllowed;
    }
    site_path(raw_path, &path, query, base_path, exists)
}

/// The server's own paths, outside the site: the reload stream and script (dev),
/// the health check (production).
fn server_path(raw_path: &str, dev: bool) -> Option<Route> {
    if dev && raw_path == reload::EVENTS_PATH {
        return Some(Route::Events);
    }
    if dev && raw_path == reload::SCRIPT_PATH {
        return Some(Route::Script);
    }
    if dev && raw_path == super::devmail::PATH {
        return Some(Route::Mail);
    }
    if !dev && raw_path == HEALTH_PATH {
        return Some(Route::Health);
    }
    None
}

/// A page of the site read at the decoded `path`: the file, a redirect to the
/// base path or to the folder (`/jobs/x` -> `/jobs/x/`, keeping the query), or
/// not found.
fn site_path(
    raw_path: &str,
    path: &str,
    query: Option<&str>,
    base_path: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Route {
    let with_query = |p: String| match query {
        Some(q) => format!("{p}?{q}"),
        None => p,
    };
    let Some(rel) = path.strip_prefix(base_path) else {
        return if path == "/" || format!("{path}/") == base_path {
            Route::Redirect(with_query(base_path.to_string()))
        } else {
            Route::NotFound
        };
    };
    let key = crate::urls::output_file(rel);
    if exists(&key) {
        Route::Output(key)
    } else if !rel.is_empty()
        && !rel.ends_with('/')
        && exists(&crate::urls::output_file(&format!("{rel}/")))
    {
        Route::Redirect(with_query(format!("{raw_path}/")))
    } else {
        Route::NotFound
    }
}

/// Percent-decodes a request path; `None` for anything that is not a plain
/// absolute path inside the site: `..` or `.` segments (encoded or not), empty
/// segments (`//`), backslashes, NUL, or bytes that are not UTF-8.
pub fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    // `percent_decode` passes a stray `%` through; such a path is malformed.
    let bytes = raw.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    if path.contains('\\') || path.contains('\0') || path.contains("//") {
        return None;
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(method: &str, url: &str) -> Route {
        let exists = |k: &str| {
            [
                "index.html",
                "jobs/a/index.html",
                "style.0123abcd.css",
                "404.html",
            ]
            .contains(&k)
        };
        let pattern = Pattern::for_test("/careers/apply/", "");
        route(method, url, "/careers/", true, &exists, Some(&pattern))
    }

    #[test]
    fn pages_live_under_the_base_path() {
        assert_eq!(go("GET", "/careers/"), Route::Output("index.html".into()));
        assert_eq!(
            go("HEAD", "/careers/jobs/a/"),
            Route::Output("jobs/a/index.html".into())
        );
        assert_eq!(
            go("GET", "/careers/jobs/a/index.html"),
            Route::Output("jobs/a/index.html".into())
        );
        assert_eq!(
            go("GET", "/careers/style.0123abcd.css?v=1"),
            Route::Output("style.0123abcd.css".into())
        );
        assert_eq!(go("GET", "/"), Route::Redirect("/careers/".into()));
        assert_eq!(go("GET", "/careers"), Route::Redirect("/careers/".into()));
        assert_eq!(go("GET", "/jobs/a/"), Route::NotFound);
        assert_eq!(go("GET", "/careers/jobs/b/"), Route::NotFound);
    }

    #[test]
    fn folder_without_slash_redirects_keeping_the_query() {
        assert_eq!(
            go("GET", "/careers/jobs/a"),
            Route::Redirect("/careers/jobs/a/".into())
        );
        assert_eq!(
            go("GET", "/careers/jobs/a?x=1"),
            Route::Redirect("/careers/jobs/a/?x=1".into())
        );
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for url in [
            "/careers/../etc/passwd",
            "/careers/%2e%2e/etc/passwd",
            "/careers/%2E%2E%2Fsite.toml",
            "/careers/.%2e/x",
            "/careers/jobs/..",
            "//etc/passwd",
            "/careers/..\\x",
            "/careers/%5c..%5cx",
            "/careers/%00",
            "/careers/%zz",
            "/careers/%ff",
            "http://evil.example/careers/",
            "/careers/./index.html",
            "/careers/caf\u{e9}/",
            "/careers/jobs/a?q=\u{e9}",
            "/careers/a b",
            "/careers/\r\nSet-Cookie: x",
        ] {
            assert_eq!(go("GET", url), Route::Refused, "{url}");
        }
    }

    #[test]
    fn posts_go_to_the_endpoint_only() {
        assert_eq!(go("POST", "/careers/apply/a"), Route::Endpoint("a".into()));
        assert_eq!(
            go("OPTIONS", "/careers/apply/a"),
            Route::Endpoint("a".into())
        );
        assert_eq!(go("POST", "/careers/jobs/a/"), Route::NotAllowed);
        assert_eq!(go("PUT", "/careers/"), Route::NotAllowed);
    }

    #[test]
    fn the_health_check_only_in_production() {
        let none = |_: &str| false;
        assert_eq!(
            route("GET", "/healthz", "/careers/", false, &none, None),
            Route::Health
        );
        assert_eq!(go("GET", "/healthz"), Route::NotFound);
    }

    #[test]
    fn reload_paths_only_in_dev() {
        assert_eq!(go("GET", "/__openings/events"), Route::Events);
        assert_eq!(go("GET", "/__openings/live.js"), Route::Script);
        let none = |_: &str| false;
        assert_eq!(
            route("GET", "/__openings/live.js", "/", false, &none, None),
            Route::NotFound
        );
    }
}
