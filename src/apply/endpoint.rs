//! Answers `POST` and `OPTIONS` at `[apply] endpoint`: origin and rate checks,
//! the body read with limits, validation, storage, and the answer: the role page
//! with the candidate's answers and errors (no JavaScript, 422), a "received"
//! page, or JSON for `apply.js`. Independent of the HTTP server: `serve` turns
//! its requests into a [`Request`] and writes back the [`Response`].

use super::exchange::{Request, Response};
use super::form::{self, Form, Outcome, Submission};
use super::limit::{Allowances, client_address};
use super::multipart::{self, BodyError, Limits};
use super::outbox::{Outbox, Senders};
use super::reply::Reply;
use super::store::{NewApplication, NewFile, Notice, NoticeKind, Store};
use crate::build::Generation;
use crate::config::Apply;
use crate::site::Site;
use serde_json::{Map, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Browsers send a few kilobytes of headers; more is not a candidate.
const MAX_HEADER_BYTES: usize = 32 * 1024;
const MAX_HEADERS: usize = 100;
/// Seconds a candidate is asked to wait when the store could not keep their
/// application (the database is down or restarting).
const STORE_RETRY_AFTER: u64 = 10;

/// The application endpoint of one running server.
pub struct Endpoint {
    store: Arc<dyn Store>,
    limits: Allowances,
    /// Delivers webhook notices and emails, when there is any to send.
    outbox: Option<Outbox>,
    /// Whether a webhook notice is queued with each application.
    webhook: bool,
    /// Whether emails are queued with each application.
    mail: bool,
    /// Applications dropped because the honeypot was filled.
    spam: AtomicU64,
}

/// The origin (`scheme://host[:port]`) of a URL.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    Some(url.origin().ascii_serialization()).filter(|o| o != "null")
}

impl Endpoint {
    /// Starts the endpoint over `store`, with the outbox worker when there is
    /// a webhook or a mail server to send to.
    pub fn new(apply: &Apply, store: Arc<dyn Store>, senders: Senders) -> Endpoint {
        let (webhook, mail) = (senders.webhook.is_some(), senders.mail.is_some());
        let outbox = (webhook || mail).then(|| Outbox::spawn(store.clone(), senders));
        Endpoint {
            limits: Allowances::new(apply.rate_limit),
            store,
            outbox,
            webhook,
            mail,
            spam: AtomicU64::new(0),
        }
    }

    /// Whether the store answers a query.
    pub fn health(&self) -> Result<(), String> {
        self.store.health().map_err(|e| e.to_string())
    }

    /// Answers a request to the endpoint of the posting `slug`.
    pub fn answer(&self, request: Request<'_>, slug: &str, generation: &Generation) -> Response {
        let site = &generation.site;
        let header_bytes: usize = request
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 4)
            .sum();
        if header_bytes > MAX_HEADER_BYTES || request.headers.len() > MAX_HEADERS {
            return Response::plain(431, "The request's headers are too large.").closing();
        }
        let cors = self.cors_origin(&request, site);
        let response = match (request.method, &cors) {
            ("OPTIONS", Ok(Some(_))) => Response::new(204, "text/plain", Vec::new())
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type, Accept")
                .header("Access-Control-Max-Age", "600"),
            ("OPTIONS", _) => Response::plain(403, "This origin may not send applications here."),
            ("POST", Err(())) => Response::plain(403, "Applications from this origin are refused."),
            ("POST", _) => self.post(request, slug, generation),
            _ => Response::plain(405, "Send applications with POST.")
                .header("Allow", "POST, OPTIONS"),
        };
        match cors {
            Ok(Some(origin)) => response
                .header("Access-Control-Allow-Origin", origin)
                .header("Vary", "Origin"),
            _ => response.header("Vary", "Origin"),
        }
    }

    /// `Ok(None)`: same origin or no `Origin` (not a cross-site browser request);
    /// `Ok(Some(origin))`: an allowed other origin; `Err`: a refused origin.
    fn cors_origin(&self, request: &Request<'_>, site: &Site) -> Result<Option<String>, ()> {
        let Some(origin) = request.header("Origin") else {
            return Ok(None);
        };
        let host = request.header("Host").unwrap_or_default();
        let same = ["http", "https"]
            .iter()
            .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")));
        if same {
            return Ok(None);
        }
        // The site's own origin counts as allowed: behind a proxy that rewrites
        // Host it is this server, and with an absolute `endpoint` on another
        // origin it is where the forms are.
        let allowed = std::iter::once(site.config.base_url.as_str())
            .chain(site.config.apply.allowed_origins.iter().map(String::as_str))
            .any(|o| origin_of(o).as_deref() == Some(origin));
        if allowed {
            Ok(Some(origin.to_string()))
        } else {
            Err(())
        }
    }

    /// A form sent to the posting `slug`: checked, stored, answered.
    fn post(&self, request: Request<'_>, slug: &str, generation: &Generation) -> Response {
        let site = &*generation.site;
        let reply = Reply {
            json: request
                .header("Accept")
                .is_some_and(|a| a.contains("application/json")),
            generation,
        };
        let index = match open_posting(site, slug, &reply) {
            Ok(index) => index,
            Err(refused) => return refused,
        };
        let job = &site.jobs[index].posting;
        let client = client_address(
            request.remote,
            request.header("X-Forwarded-For"),
            site.config.apply.trust_proxy,
        );
        let user_agent = request.header("User-Agent").map(str::to_string);
        let max_file = site.config.apply.max_upload_mb << 20;
        let submission = match read_submission(request, max_file, self.store.spool_dir()) {
            Ok(s) => s,
            Err((status, key)) => {
                if let Err(wait) = self.limits.failed(client) {
                    return rate_limited(&reply, index, wait, Map::new()).closing();
                }
                return body_refused(&reply, index, status, key);
            }
        };
        let form = Form {
            questions: &job.questions,
            max_file_bytes: max_file,
        };
        // Only stored applications use up `rate_limit`; refused ones count
        // against the larger allowance for failures.
        let valid = match form.check(submission) {
            Outcome::Spam => match self.limits.failed(client) {
                Err(wait) => return rate_limited(&reply, index, wait, Map::new()),
                Ok(()) => {
                    self.count_spam();
                    return reply.received(index);
                }
            },
            Outcome::Invalid { errors, values } => match self.limits.failed(client) {
                Err(wait) => return rate_limited(&reply, index, wait, values),
                Ok(()) => return reply.form(422, index, &values, &errors, None),
            },
            Outcome::Valid(valid) => match self.limits.accepted(client) {
                Err(wait) => return rate_limited(&reply, index, wait, valid.answers),
                Ok(()) => valid,
            },
        };
        self.store_valid(&reply, index, valid, client, user_agent)
    }

    /// Counts a submission dropped for its filled honeypot, logging at each power
    /// of two so a flood does not flood the log.
    fn count_spam(&self) {
        let n = self.spam.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_power_of_two() {
            eprintln!("apply: dropped {n} submissions with the honeypot filled");
        }
    }

    /// Stores a valid submission to the posting at `index` and answers
    /// "received", or sends the form back (503) when the store fails.
    fn store_valid(
        &self,
        reply: &Reply<'_>,
        index: usize,
        valid: form::Valid,
        client: Option<std::net::IpAddr>,
        user_agent: Option<String>,
    ) -> Response {
        let (site, renderer) = (&*reply.generation.site, &*reply.generation.renderer);
        let job = &site.jobs[index].posting;
        let slug = job.slug.as_str();
        let answers = valid.answers.clone();
        let client_hash = self
            .store
            .client_hash(&client.map(|c| c.to_string()).unwrap_or_default());
        let mut application = self.application(slug, job, site, valid, client_hash, user_agent);
        if self.mail {
            let resume = application
                .files
                .first()
                .map(|f| (f.name.as_str(), f.file.size));
            match super::mail::notices(site, renderer, index, &application.answers, resume) {
                Ok(mails) => application.outbox.extend(mails),
                Err(e) => eprintln!("apply: no email for an application to {slug}: {e}"),
            }
        }
        match self.store.insert(application) {
            Ok(_) => {
                if let Some(outbox) = &self.outbox {
                    outbox.wake();
                }
                reply.received(index)
            }
            Err(e) => {
                eprintln!("apply: could not store an application for {slug}: {e}");
                let message = renderer.string("error_not_saved");
                reply
                    .form(503, index, &answers, &BTreeMap::new(), Some(message))
                    .header("Retry-After", STORE_RETRY_AFTER.to_string())
            }
        }
    }

    /// What is stored for a valid submission (and told to the webhook, if any).
    fn application(
        &self,
        slug: &str,
        job: &crate::content::Posting,
        site: &Site,
        valid: form::Valid,
        client_hash: String,
        user_agent: Option<String>,
    ) -> NewApplication {
        let received_at = jiff::Timestamp::now().as_millisecond();
        let notice = self.webhook.then(|| {
            let at = jiff::Timestamp::from_millisecond(received_at).map(|t| t.to_string());
            let payload = json!({
                "posting": {"slug": slug, "title": job.title},
                "received_at": at.unwrap_or_default(),
                "name": valid.answers.get("name"),
                "email": valid.answers.get("email"),
                "language": &site.config.language,
            });
            Notice {
                kind: NoticeKind::Webhook,
                payload,
            }
        });
        NewApplication {
            posting_slug: slug.to_string(),
            posting_title: job.title.clone(),
            language: site.config.language.clone(),
            answers: valid.answers,
            files: valid
                .resume
                .file
                .map(|file| NewFile {
                    field: "resume".into(),
                    name: valid.resume.name,
                    kind: valid.resume_kind.into(),
                    file,
                })
                .into_iter()
                .collect(),
            received_at,
            client_hash,
            consent: site.config.apply.consent.clone(),
            user_agent,
            outbox: notice.into_iter().collect(),
        }
    }
}

/// The index of the posting `slug` when it takes applications here; otherwise
/// the answer: unknown (404, also for a posting that applies elsewhere) or closed.
fn open_posting(site: &Site, slug: &str, reply: &Reply<'_>) -> Result<usize, Response> {
    let Some(index) = site.jobs.iter().position(|j| j.posting.slug == slug) else {
        return Err(reply.status(404, "error_unknown_posting").closing());
    };
    if site.jobs[index].posting.apply_url.is_some() {
        return Err(reply.status(404, "error_unknown_posting").closing());
    }
    if site.jobs[index].closed {
        return Err(reply.closed(index).closing());
    }
    Ok(index)
}

/// A body that could not be read: the empty form again with the theme string
/// `key` as the general error, and the connection closed.
fn body_refused(reply: &Reply<'_>, index: usize, status: u16, key: &str) -> Response {
    let max_upload_mb = reply.generation.site.config.apply.max_upload_mb;
    let message = reply
        .generation
        .renderer
        .string(key)
        .replace("{mb}", &max_upload_mb.to_string());
    let response = reply.form(status, index, &Map::new(), &BTreeMap::new(), Some(message));
    response.closing()
}

/// Over the rate limit: nothing is stored, but the answers come back (429) with
/// how long to wait.
fn rate_limited(
    reply: &Reply<'_>,
    index: usize,
    wait: std::time::Duration,
    values: Map<String, serde_json::Value>,
) -> Response {
    let seconds = wait.as_secs() + 1;
    let message = reply
        .generation
        .renderer
        .string("error_rate_limited")
        .replace("{seconds}", &seconds.to_string());
    reply
        .form(429, index, &values, &BTreeMap::new(), Some(message))
        .header("Retry-After", seconds.to_string())
}

/// Reads and parses the body with the limits for `max_file`, uploads going to
/// `spool_dir`; on failure the status and the theme string that explains it.
/// A body declared larger than the hard ceiling is refused before a byte of it
/// is read.
fn read_submission(
    request: Request<'_>,
    max_file: u64,
    spool_dir: &std::path::Path,
) -> Result<Submission, (u16, &'static str)> {
    let length = request
        .header("Content-Length")
        .and_then(|l| l.trim().parse::<u64>().ok());
    let content_type = request.header("Content-Type").map(str::to_string);
    let limits = Limits::for_upload(max_file);
    multipart::boundary(content_type.as_deref()).map_err(|e| match e {
        BodyError::NotMultipart => (415, "error_bad_request"),
        _ => (400, "error_bad_request"),
    })?;
    if length.is_some_and(|n| n > limits.body) {
        return Err((413, "error_too_large"));
    }
    let parsed = multipart::parse(content_type.as_deref(), request.body, &limits, spool_dir);
    parsed.map_err(|e| match e {
        BodyError::TooLarge => (413, "error_too_large"),
        BodyError::NotMultipart => (415, "error_bad_request"),
        BodyError::Timeout => (408, "error_bad_request"),
        BodyError::Malformed(_) => (400, "error_bad_request"),
        BodyError::Disk(e) => {
            eprintln!("apply: could not write an upload to disk: {e}");
            (503, "error_not_saved")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::form::tests::PDF;
    use crate::apply::multipart::encode;
    use crate::apply::store::Filter;
    use crate::apply::store::tests::{TestStore, each_store, postgres_store, sqlite_store};

    /// The `valid/basic` fixture site as the server holds it, on the tests' day.
    fn fixture() -> Generation {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/basic");
        let config = crate::config::load(&root).unwrap();
        let content = crate::content::load(&root, &config).unwrap();
        let theme = crate::render::theme::load(&root, &config).unwrap();
        let options = crate::site::Options {
            drafts: false,
            today: Some("2026-11-23".parse().unwrap()),
        };
        let site = Site::new(config, content, options);
        let renderer = crate::render::Renderer::new(&site, theme, |urls, strings| {
            crate::render::JobValues::fresh(&site, urls, strings)
        })
        .unwrap();
        Generation::new(site, renderer).unwrap()
    }

    /// What a production server sends with, for a site without `[notify]`.
    fn webhook_only(generation: &Generation) -> Senders {
        Senders {
            webhook: generation.site.config.apply.webhook.clone(),
            mail: None,
        }
    }

    struct Harness {
        store: TestStore,
        endpoint: Endpoint,
        generation: Generation,
    }

    fn harness() -> Harness {
        harness_over(sqlite_store())
    }

    fn harness_over(store: TestStore) -> Harness {
        let generation = fixture();
        let endpoint = Endpoint::new(
            &generation.site.config.apply,
            store.store.clone(),
            webhook_only(&generation),
        );
        Harness {
            store,
            endpoint,
            generation,
        }
    }

    const VALID: &[(&str, &str)] = &[
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("cover_letter", "I like <b>engines</b>."),
        ("q_rust_years", "7"),
        ("q_start", "Now"),
        ("consent", "yes"),
        ("website_url", ""),
    ];

    impl Harness {
        /// The site's `[apply]`, to change for one test.
        fn settings(&mut self) -> &mut Apply {
            &mut Arc::get_mut(&mut self.generation.site)
                .expect("the harness holds the only site")
                .config
                .apply
        }

        fn send(
            &self,
            method: &str,
            slug: &str,
            headers: &[(&str, &str)],
            body: &[u8],
        ) -> Response {
            let mut all: Vec<(String, String)> = headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            all.push(("Host".into(), "127.0.0.1:8080".into()));
            all.push((
                "Content-Type".into(),
                "multipart/form-data; boundary=B0undary".into(),
            ));
            all.push(("Content-Length".into(), body.len().to_string()));
            let mut body = body;
            let request = Request {
                method,
                headers: all,
                remote: Some("127.0.0.1".parse().unwrap()),
                body: &mut body,
            };
            self.endpoint.answer(request, slug, &self.generation)
        }

        fn apply(&self, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
            let body = encode("B0undary", fields, &[("resume", "cv.pdf", PDF)]);
            self.send("POST", "backend-engineer", headers, &body)
        }
    }

    fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut fields: Vec<_> = VALID
            .iter()
            .copied()
            .filter(|(n, _)| !changes.iter().any(|(c, _)| c == n))
            .collect();
        fields.extend(changes.iter().copied());
        fields
    }

    #[test]
    fn a_valid_application_is_stored_and_received() {
        for store in each_store() {
            a_valid_application_is_stored_and_received_in(harness_over(store));
        }
    }

    fn a_valid_application_is_stored_and_received_in(h: Harness) {
        let response = h.apply(VALID, &[]);
        assert_eq!(response.status, 200);
        let html = String::from_utf8(response.body).unwrap();
        assert!(html.contains("we have your application"), "{html}");
        let apps = h.store.list(&Filter::default()).unwrap();
        assert_eq!(apps.len(), 1);
        assert_eq!(apps[0].posting_title, "Backend Engineer");
        assert_eq!(apps[0].answers["cover_letter"], "I like <b>engines</b>.");
        assert_eq!(apps[0].files[0].kind, "pdf");
        assert_eq!(
            apps[0].consent,
            "Testco keeps your application for 90 days."
        );
    }

    #[test]
    fn a_store_that_fails_gets_503_retry_after_and_every_answer_back() {
        let h = harness_over(postgres_store());
        let mut admin = ::postgres::Client::connect(&h.store.location, ::postgres::NoTls).unwrap();
        admin
            .batch_execute("DROP TABLE files, outbox, applications")
            .unwrap();
        let response = h.apply(VALID, &[]);
        assert_eq!(response.status, 503);
        assert_eq!(response.get_header("Retry-After"), Some("10"));
        let html = String::from_utf8(response.body).unwrap();
        assert!(html.contains("value=\"ada@example.com\""), "{html}");
        assert!(html.contains("I like &lt;b&gt;engines&lt;/b&gt;.</textarea>"));
        let json = h.apply(VALID, &[("Accept", "application/json")]);
        assert_eq!(json.status, 503);
        assert_eq!(json.get_header("Retry-After"), Some("10"));
    }

    #[test]
    fn oversized_headers_are_refused() {
        let h = harness();
        let cookie = "x".repeat(40 * 1024);
        let response = h.send("POST", "backend-engineer", &[("Cookie", &cookie)], b"");
        assert_eq!(response.status, 431);
        assert!(response.close);
        let many: Vec<(String, String)> =
            (0..120).map(|i| (format!("X-{i}"), "1".into())).collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(h.send("POST", "backend-engineer", &many, b"").status, 431);
    }

    #[test]
    fn only_post_and_options_are_answered() {
        let h = harness();
        let get = h.send("GET", "backend-engineer", &[], b"");
        assert_eq!(get.status, 405);
        assert_eq!(get.get_header("Allow"), Some("POST, OPTIONS"));
    }

    #[test]
    fn unknown_and_closed_postings_are_refused() {
        let h = harness();
        let body = encode("B0undary", VALID, &[("resume", "cv.pdf", PDF)]);
        let unknown = h.send("POST", "no-such-role", &[], &body);
        assert_eq!(unknown.status, 404);
        let closed = h.send("POST", "old-role", &[], &body);
        assert_eq!(closed.status, 410);
        assert!(
            String::from_utf8(closed.body)
                .unwrap()
                .contains("no longer accepting applications")
        );
        assert!(h.store.list(&Filter::default()).unwrap().is_empty());
    }

    #[test]
    fn errors_come_back_on_the_role_page_with_every_answer() {
        let h = harness();
        let response = h.apply(
            &with(&[("email", "ada-at-example"), ("q_rust_years", "seven")]),
            &[],
        );
        assert_eq!(response.status, 422);
        let html = String::from_utf8(response.body).unwrap();
        assert!(
            html.contains("Enter an email address like name@example.com."),
            "{html}"
        );
        assert!(html.contains("Enter a number"));
        assert!(html.contains("value=\"ada-at-example\""));
        assert!(html.contains("value=\"seven\""));
        assert!(html.contains("I like &lt;b&gt;engines&lt;/b&gt;.</textarea>"));
        assert!(html.contains("<option selected>Now</option>"));
        assert!(html.contains("please choose the file again"));
        assert!(h.store.list(&Filter::default()).unwrap().is_empty());
    }

    #[test]
    fn javascript_gets_json_errors_and_confirmation() {
        let h = harness();
        let json_accept = [("Accept", "application/json")];
        let bad = h.apply(&with(&[("consent", "")]), &json_accept);
        assert_eq!(bad.status, 422);
        let v: serde_json::Value = serde_json::from_slice(&bad.body).unwrap();
        assert_eq!(v["status"], "invalid");
        assert!(v["errors"]["consent"].as_str().unwrap().contains("agree"));
        let ok = h.apply(VALID, &json_accept);
        assert_eq!(ok.status, 201);
        let v: serde_json::Value = serde_json::from_slice(&ok.body).unwrap();
        assert_eq!(v["status"], "received");
    }

    #[test]
    fn the_honeypot_looks_accepted_but_stores_nothing() {
        let h = harness();
        let response = h.apply(&with(&[("website_url", "http://spam.example")]), &[]);
        assert_eq!(response.status, 200);
        assert!(h.store.list(&Filter::default()).unwrap().is_empty());
        assert_eq!(h.endpoint.spam.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn other_origins_need_to_be_allowed() {
        let h = harness();
        let evil = [("Origin", "https://evil.example")];
        assert_eq!(h.apply(VALID, &evil).status, 403);
        let preflight = h.send("OPTIONS", "backend-engineer", &evil, b"");
        assert_eq!(preflight.status, 403);
        let same = [("Origin", "http://127.0.0.1:8080")];
        let ok = h.apply(VALID, &same);
        assert_eq!(ok.status, 200);
        assert_eq!(ok.get_header("Access-Control-Allow-Origin"), None);
        let site_origin = [("Origin", "https://jobs.testco.example")];
        assert_eq!(h.apply(VALID, &site_origin).status, 200);
    }

    #[test]
    fn allowed_origins_get_cors_headers() {
        let mut h = harness();
        h.settings().allowed_origins = vec!["https://static.example".into()];
        let origin = [("Origin", "https://static.example")];
        let preflight = h.send("OPTIONS", "backend-engineer", &origin, b"");
        assert_eq!(preflight.status, 204);
        assert_eq!(
            preflight.get_header("Access-Control-Allow-Origin"),
            Some("https://static.example")
        );
        assert!(
            preflight
                .get_header("Access-Control-Allow-Methods")
                .unwrap()
                .contains("POST")
        );
        let post = h.apply(VALID, &origin);
        assert_eq!(post.status, 200);
        assert_eq!(
            post.get_header("Access-Control-Allow-Origin"),
            Some("https://static.example")
        );
    }

    #[test]
    fn too_many_applications_from_one_client_get_429() {
        let mut h = harness();
        h.settings().rate_limit = 2;
        h.endpoint = Endpoint::new(
            &h.generation.site.config.apply,
            h.store.store.clone(),
            webhook_only(&h.generation),
        );
        assert_eq!(h.apply(VALID, &[]).status, 200);
        assert_eq!(h.apply(VALID, &[]).status, 200);
        let limited = h.apply(VALID, &[]);
        assert_eq!(limited.status, 429);
        let wait: u64 = limited.get_header("Retry-After").unwrap().parse().unwrap();
        assert!((1..=31).contains(&wait), "{wait}");
    }

    #[test]
    fn an_oversized_body_is_refused_from_its_length() {
        let h = harness();
        let mut all: Vec<(String, String)> = vec![
            (
                "Content-Type".into(),
                "multipart/form-data; boundary=B0undary".into(),
            ),
            ("Content-Length".into(), (100u64 << 20).to_string()),
        ];
        all.push(("Host".into(), "x".into()));
        let mut nothing: &[u8] = b"";
        let request = Request {
            method: "POST",
            headers: all,
            remote: None,
            body: &mut nothing,
        };
        let response = h
            .endpoint
            .answer(request, "backend-engineer", &h.generation);
        assert_eq!(response.status, 413);
        assert!(response.close);
        assert!(
            String::from_utf8(response.body)
                .unwrap()
                .contains("larger than 5 MB")
        );
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://acme.example/careers/").as_deref(),
            Some("https://acme.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/x").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("not a url"), None);
    }
}
